import type { PeopleReport } from '../domain/people';
import { csvCell } from './report-csv';

// The people view for a spreadsheet: one row per account and integration, ranked as in the
// table, cells neutralised like the report's CSV (names come from Okta).

export const PEOPLE_CSV_COLUMNS = [
  'rank',
  'userId',
  'login',
  'kind',
  'status',
  'lastLogin',
  'leaving',
  'critical',
  'high',
  'medium',
  'low',
  'integrationType',
  'integrationId',
  'integrationName',
  'severity',
  'ruleIds',
] as const;

export function renderPeopleCsv(report: PeopleReport): string {
  const rows: (string | null)[][] = [[...PEOPLE_CSV_COLUMNS]];
  report.people.forEach((person, index) => {
    const head = [
      String(index + 1),
      person.id,
      person.login,
      person.kind,
      person.status,
      person.lastLogin,
      person.leaving?.reason ?? null,
      String(person.breaks.critical),
      String(person.breaks.high),
      String(person.breaks.medium),
      String(person.breaks.low),
    ];
    for (const i of person.integrations) rows.push([...head, i.type, i.id, i.name, i.severity, i.ruleIds.join(' ')]);
  });
  return rows.map((row) => `${row.map(csvCell).join(',')}\r\n`).join('');
}
