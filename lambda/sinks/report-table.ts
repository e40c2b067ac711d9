import { complianceLabel } from '../domain/compliance';
import type { Finding, FindingOwner, Report, Severity } from '../domain/finding';
import { RESOURCE_TYPES, SEVERITIES } from '../domain/finding';
import type { Rule } from '../domain/rule';
import type { WhatIfReport } from '../domain/whatif';
import { oneLine, truncate, wrap as wrapTo } from '../text';
import { usageLine } from './usage-line';

// The report for a person at a terminal: what fails, worst first, one line each; then what
// could not be checked; then a summary that says whether the scan saw everything.

export interface TableOptions {
  /** Terminal width; lines are cut to fit. */
  width?: number;
  /** ANSI colour; the caller decides (a TTY and NO_COLOR unset). */
  color?: boolean;
  /** A rule's title, used as the short problem of a FAIL line. */
  ruleTitle?: (ruleId: string) => string | undefined;
}

type Paint = (code: string, text: string) => string;

function painter(color: boolean | undefined): Paint {
  return color ? (code, text) => `\x1b[${code}m${text}\x1b[0m` : (_code, text) => text;
}

const SEVERITY_COLOUR: Record<Severity, string> = {
  critical: '1;31',
  high: '31',
  medium: '33',
  low: '36',
  info: '2',
};

/** Wraps to `width` with `indent` on every line, each line cut to fit; empty text gives no line. */
function wrap(text: string, width: number, indent: string): string[] {
  const flat = oneLine(text);
  return flat ? wrapTo(flat, width, indent).map((l) => truncate(l, width)) : [];
}

function ownerLabel(owner: FindingOwner | null): string | null {
  if (!owner) return null;
  const who = owner.login ?? owner.id;
  const details = [owner.kind === 'unknown' ? 'unknown kind' : owner.kind];
  if (owner.status && owner.status !== 'ACTIVE') details.push(owner.status);
  return `${who} (${details.join(', ')})`;
}

/** One line: the resource, its owner and, where the heading does not say it, the problem. */
function findingLine(finding: Finding, width: number): string {
  // With --state-dir: NEW and REGRESSED lead the line, where the eye falls first.
  const change = finding.change && finding.change !== 'ONGOING' ? `${finding.change} ` : '';
  const parts = [`${change}${finding.resource.name}`];
  const owner = ownerLabel(finding.owner);
  // Without an owner to name, the message is the only detail (e.g. the agent's status).
  if (finding.status === 'UNKNOWN' || !owner) parts.push(finding.message);
  else parts.push(owner);
  if (finding.status === 'SUPPRESSED' && finding.suppression) {
    parts.push(`until ${finding.suppression.expires}: ${finding.suppression.reason}`);
  }
  return truncate(`    ${oneLine(parts.join(' · '))}`, width);
}

/** A status (and severity) heading, then per rule its title and one line per finding. */
function section(
  lines: string[],
  heading: string,
  findings: Finding[],
  options: TableOptions,
  width: number,
  paint: Paint,
  code: string,
): void {
  if (findings.length === 0) return;
  lines.push('', paint(code, truncate(`${heading} (${findings.length})`, width)));
  const byRule = new Map<string, Finding[]>();
  for (const finding of findings) byRule.set(finding.ruleId, [...(byRule.get(finding.ruleId) ?? []), finding]);
  for (const [ruleId, ruleFindings] of byRule) {
    const title = options.ruleTitle?.(ruleId);
    // The id first: suppressions name it, so it must survive the cut.
    lines.push(paint('1', truncate(`  ${title ? `${ruleId} · ${title}` : ruleId}`, width)));
    for (const finding of ruleFindings) {
      lines.push(findingLine(finding, width));
      const usage = usageLine(finding);
      if (usage) lines.push(truncate(`      ${oneLine(usage)}`, width));
    }
  }
}

export function renderReportTable(report: Report, options: TableOptions = {}): string {
  const width = Math.max(40, options.width ?? 80);
  const paint = painter(options.color);
  const lines: string[] = [truncate(`Okta ownership scan · ${report.org} · ${report.finishedAt}`, width)];

  for (const severity of SEVERITIES) {
    const fails = report.findings.filter((f) => f.status === 'FAIL' && f.severity === severity);
    section(lines, `FAIL · ${severity}`, fails, options, width, paint, SEVERITY_COLOUR[severity]);
  }
  const unknown = report.findings.filter((f) => f.status === 'UNKNOWN');
  section(lines, 'UNKNOWN · could not be checked', unknown, options, width, paint, '35');
  const suppressed = report.findings.filter((f) => f.status === 'SUPPRESSED');
  section(lines, 'SUPPRESSED', suppressed, options, width, paint, '2');

  if (report.resolved && report.resolved.length > 0) {
    lines.push('', paint('32', truncate(`RESOLVED since the last scan (${report.resolved.length})`, width)));
    for (const r of report.resolved) lines.push(truncate(`    ${oneLine(`${r.resource.name} · ${r.ruleId}`)}`, width));
  }
  const { byStatus, failBySeverity } = report.summary;
  lines.push('');
  if (byStatus.FAIL === 0 && byStatus.UNKNOWN === 0) lines.push(paint('32', 'No violations found.'));
  lines.push(
    truncate(
      `Findings: ${byStatus.FAIL} FAIL · ${byStatus.PASS} PASS · ${byStatus.UNKNOWN} UNKNOWN · ${byStatus.SUPPRESSED} SUPPRESSED`,
      width,
    ),
  );
  lines.push(truncate(`FAIL by severity: ${SEVERITIES.map((s) => `${s} ${failBySeverity[s]}`).join(' · ')}`, width));
  if (report.status === 'complete') {
    lines.push(paint('32', 'Scan complete: every source was read.'));
  } else {
    lines.push(paint('1;35', `Scan INCOMPLETE: ${report.errors.length} source(s) could not be read:`));
    for (const error of report.errors) {
      const scope = error.requiredScope ? ` (needs ${error.requiredScope})` : '';
      lines.push(truncate(`  - ${error.source}${scope}: ${oneLine(error.message)}`, width));
    }
    lines.push(truncate('Findings that depend on these sources are UNKNOWN, not PASS.', width));
  }
  return `${lines.join('\n')}\n`;
}

export function renderWhatIfTable(answer: WhatIfReport, options: TableOptions = {}): string {
  const width = Math.max(40, options.width ?? 80);
  const paint = painter(options.color);
  const lines: string[] = [truncate(`What if "${answer.query}" is deactivated? · ${answer.org}`, width)];
  if (!answer.found || !answer.user) {
    lines.push('', ...wrap(`No user matching "${answer.query}" was found in ${answer.org}.`, width, ''));
    lines.push(...wrap('Give an Okta user id (00u…) or the exact login.', width, ''));
  } else {
    const user = answer.user;
    lines.push(
      truncate(
        `User: ${user.login ?? user.id} (${user.id}) · ${user.kind} · ${user.status ?? 'status unknown'}`,
        width,
      ),
    );
    if (user.signals.length > 0) lines.push(...wrap(`why ${user.kind}: ${user.signals.join('; ')}`, width, '  '));
    lines.push('');
    if (answer.impacts.length === 0) {
      lines.push(...wrap('Nothing this scanner checks depends on this user.', width, ''));
    } else {
      lines.push(paint('1', `${answer.impacts.length} integration(s) would be affected:`));
      for (const impact of answer.impacts) {
        const head = `[${impact.severity}] ${impact.resource.name} (${RESOURCE_TYPES[impact.resource.type]?.label ?? impact.resource.type})`;
        lines.push('', paint(SEVERITY_COLOUR[impact.severity], truncate(`  ${head}`, width)));
        lines.push(...wrap(`breaks: ${impact.what}`, width, '    '));
        lines.push(...wrap(`first:  ${impact.firstStep}`, width, '    '));
        lines.push(...wrap(`rules: ${impact.ruleIds.join(', ')}`, width, '    '));
      }
    }
  }
  if (answer.status === 'incomplete') {
    lines.push(
      '',
      paint('1;35', 'Scan INCOMPLETE: this answer may miss integrations in sources that could not be read:'),
    );
    for (const error of answer.errors) {
      lines.push(truncate(`  - ${error.source}${error.requiredScope ? ` (needs ${error.requiredScope})` : ''}`, width));
    }
  }
  return `${lines.join('\n')}\n`;
}

/** The rule catalogue: id, severity and title in columns, or the title under its id where columns would not fit. */
export function renderRulesTable(rules: readonly Rule[], options: TableOptions = {}): string {
  const width = Math.max(40, options.width ?? 80);
  const idWidth = Math.max(...rules.map((r) => r.id.length));
  const head = (rule: Rule): string => `${rule.id.padEnd(idWidth)}  ${rule.severity.padEnd(8)}`;
  const columns = rules.every((r) => head(r).length + 2 + r.title.length <= width);
  // The controls a rule maps to, under its row: auditors read the catalogue for them.
  const controls = (rule: Rule): string[] =>
    rule.compliance.length > 0
      ? wrap(`maps to: ${rule.compliance.map(complianceLabel).join('; ')}`, width, '    ')
      : [];
  const lines = columns
    ? [
        `${'id'.padEnd(idWidth)}  ${'severity'.padEnd(8)}  title`,
        ...rules.flatMap((r) => [`${head(r)}  ${r.title}`, ...controls(r)]),
      ]
    : rules.flatMap((r) => [truncate(head(r).trimEnd(), width), ...wrap(r.title, width, '    '), ...controls(r)]);
  return `${lines.join('\n')}\n`;
}
