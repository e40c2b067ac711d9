import { RESOURCE_TYPES, type Severity } from '../domain/finding';
import { BREAK_SEVERITIES, type PeopleReport, type Person } from '../domain/people';
import { concentrated } from '../people';
import { oneLine, plural, truncate, wrap } from '../text';

// The people view for a person at a terminal: every account integrations run on, worst first,
// and the short "people" section that closes the scan's table report.

export interface PeopleTableOptions {
  width?: number;
  color?: boolean;
  /** One account holding more integrations than this is called out. */
  concentrationThreshold: number;
}

const COLOUR: Record<Severity, string> = { critical: '1;31', high: '31', medium: '33', low: '36', info: '2' };

function painter(color: boolean | undefined): (code: string, text: string) => string {
  return color ? (code, text) => `\x1b[${code}m${text}\x1b[0m` : (_code, text) => text;
}

/** "alice@acme.com (human, SUSPENDED)": the status only when it is not ACTIVE. */
function who(person: Person): string {
  const details: string[] = [person.kind === 'unknown' ? 'unknown kind' : person.kind];
  if (person.status === null) details.push('deleted or not read');
  else if (person.status !== 'ACTIVE') details.push(person.status);
  return `${person.login ?? person.id} (${details.join(', ')})`;
}

function breaksText(person: Person): string {
  const counted = BREAK_SEVERITIES.filter((s) => person.breaks[s] > 0).map((s) => `${person.breaks[s]} ${s}`);
  return counted.length > 0 ? counted.join(', ') : 'nothing failing';
}

function worst(person: Person): Severity {
  return BREAK_SEVERITIES.find((s) => person.breaks[s] > 0) ?? 'info';
}

function signInText(person: Person): string {
  if (person.lastLogin) return `last sign-in ${person.lastLogin.slice(0, 10)}`;
  return person.status === null ? 'last sign-in unknown' : 'never signed in';
}

function incompleteLines(report: PeopleReport): string[] {
  if (report.status === 'complete') return [];
  return ['Scan INCOMPLETE: accounts and integrations in sources that could not be read are missing here.'];
}

function concentrationLines(report: PeopleReport, threshold: number, width: number): string[] {
  return concentrated(report.people, threshold).flatMap((p) =>
    wrap(
      `Concentration: ${p.login ?? p.id} holds ${p.integrations.length} integrations (more than ${threshold}): if this one account is suspended, deactivated or its credentials leak, all of them are affected at once.`,
      width,
      '',
      '  ',
    ),
  );
}

export function renderPeopleTable(report: PeopleReport, options: PeopleTableOptions): string {
  const width = Math.max(40, options.width ?? 80);
  const paint = painter(options.color);
  const lines = [truncate(`People integrations run on · ${report.org} · ${report.generatedAt}`, width)];
  lines.push(truncate('Ranked by what breaks when the account is deactivated.', width));
  if (report.people.length === 0) lines.push('', 'No integration this scanner checks runs on an account.');
  report.people.forEach((person, index) => {
    const leaving = person.leaving ? ` · LEAVING: ${person.leaving.reason}` : '';
    lines.push('', paint(COLOUR[worst(person)], truncate(`${index + 1}. ${who(person)}${leaving}`, width)));
    lines.push(truncate(`   ${signInText(person)} · breaks: ${breaksText(person)}`, width));
    for (const integration of person.integrations) {
      const rules = integration.ruleIds.length > 0 ? ` · ${integration.ruleIds.join(', ')}` : '';
      const label = RESOURCE_TYPES[integration.type].label;
      lines.push(truncate(`   ${oneLine(`[${integration.severity}] ${label} "${integration.name}"${rules}`)}`, width));
    }
  });
  const callouts = concentrationLines(report, options.concentrationThreshold, width);
  if (callouts.length > 0) lines.push('', ...callouts);
  const incomplete = incompleteLines(report);
  if (incomplete.length > 0) lines.push('', ...incomplete.flatMap((l) => wrap(l, width, '')));
  lines.push('', truncate(`${plural(report.people.length, 'account')} with integrations.`, width));
  return `${lines.join('\n')}\n`;
}

/** The few accounts whose loss breaks the most, for the end of the scan's table report. */
export function renderPeopleSection(report: PeopleReport, options: PeopleTableOptions & { top?: number }): string {
  const width = Math.max(40, options.width ?? 80);
  const paint = painter(options.color);
  const top = report.people.slice(0, options.top ?? 5);
  if (top.length === 0) return '';
  const lines = [
    '',
    paint('1', truncate(`People (top ${top.length} of ${report.people.length}; okta-scan people lists all)`, width)),
  ];
  for (const person of top) {
    const leaving = person.leaving ? ` · leaving: ${person.leaving.reason}` : '';
    const text = `${who(person)}${leaving} · ${breaksText(person)} · ${plural(person.integrations.length, 'integration')}`;
    lines.push(paint(COLOUR[worst(person)], truncate(`  ${oneLine(text)}`, width)));
  }
  lines.push(...concentrationLines(report, options.concentrationThreshold, width));
  return `${lines.join('\n')}\n`;
}
