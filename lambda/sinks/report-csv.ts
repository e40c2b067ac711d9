import type { Report } from '../domain/finding';
import type { WhatIfReport } from '../domain/whatif';

// One row per finding, RFC 4180. Reports are opened in spreadsheets, and resource names come
// from Okta where anyone with app admin rights can type "=HYPERLINK(…)": such cells are
// neutralised with a leading quote (OWASP's CSV injection advice).

export const REPORT_CSV_COLUMNS = [
  'id',
  'ruleId',
  'status',
  'severity',
  'resourceType',
  'resourceId',
  'resourceName',
  'ownerLogin',
  'ownerStatus',
  'ownerKind',
  'message',
  'remediation',
] as const;

export const WHATIF_CSV_COLUMNS = [
  'userId',
  'userLogin',
  'userStatus',
  'userKind',
  'severity',
  'resourceType',
  'resourceId',
  'resourceName',
  'ruleIds',
  'what',
  'firstStep',
] as const;

const FORMULA_START = /^[=+\-@\t\r]/;

/** One cell: formula-neutralised, then quoted when it holds a quote, comma or line break. */
export function csvCell(value: string | null | undefined): string {
  let text = value ?? '';
  if (FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function csvRows(rows: (string | null | undefined)[][]): string {
  return rows.map((row) => `${row.map(csvCell).join(',')}\r\n`).join('');
}

export function renderReportCsv(report: Report): string {
  return csvRows([
    [...REPORT_CSV_COLUMNS],
    ...report.findings.map((f) => [
      f.id,
      f.ruleId,
      f.status,
      f.severity,
      f.resource.type,
      f.resource.id,
      f.resource.name,
      f.owner?.login ?? f.owner?.id,
      f.owner?.status,
      f.owner?.kind,
      f.message,
      f.remediation,
    ]),
  ]);
}

/** One row per impacted resource; a user with no impact (or not found) gives the header only. */
export function renderWhatIfCsv(answer: WhatIfReport): string {
  const user = answer.user;
  return csvRows([
    [...WHATIF_CSV_COLUMNS],
    ...answer.impacts.map((impact) => [
      user?.id ?? answer.query,
      user?.login,
      user?.status,
      user?.kind,
      impact.severity,
      impact.resource.type,
      impact.resource.id,
      impact.resource.name,
      impact.ruleIds.join(';'),
      impact.what,
      impact.firstStep,
    ]),
  ]);
}
