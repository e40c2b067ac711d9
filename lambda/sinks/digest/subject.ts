import type { FindingChange } from '../../domain/history';
import { plural } from '../../text';
import { worstSeverity } from './selection';
import type { DigestCounts, DigestStatus } from './types';

// The digest's subject line: the org and the most detailed summary that fits SNS's limit.

/** SNS: subjects must be "less than 100 characters long". */
export const SUBJECT_MAX_CHARS = 99;

export function buildSubject(
  org: string,
  status: DigestStatus,
  counts: DigestCounts,
  violations: FindingChange[],
  sourcesNotRead: number,
): string {
  const prefix = '[okta-scan] ';
  const candidates = status === 'failed' ? ['scan failed'] : subjectTexts(status, counts, violations, sourcesNotRead);
  const safeOrg = org.replace(/[^\x20-\x7e]/g, '?') || 'unknown org';
  const room = (text: string): number => SUBJECT_MAX_CHARS - prefix.length - ': '.length - text.length;
  // The most detailed text that leaves the org at least 20 characters; the org is cut to fit.
  const text = candidates.find((c) => room(c) >= Math.min(safeOrg.length, 20)) ?? candidates[candidates.length - 1];
  const space = room(text);
  const shownOrg = safeOrg.length <= space ? safeOrg : `${safeOrg.slice(0, Math.max(0, space - 3))}...`;
  return `${prefix}${shownOrg}: ${text}`.slice(0, SUBJECT_MAX_CHARS);
}

/** What the subject says after the org, from most to least detailed. */
function subjectTexts(
  status: DigestStatus,
  counts: DigestCounts,
  violations: FindingChange[],
  sourcesNotRead: number,
): string[] {
  const found = counts.NEW + counts.REGRESSED;
  const top = worstSeverity(violations);
  const sev = top !== 'none' ? ` (${violations.filter((c) => c.finding.severity === top).length} ${top})` : '';
  const found0 =
    counts.REGRESSED === 0
      ? `${plural(counts.NEW, 'new violation')}${sev}`
      : counts.NEW === 0
        ? `${plural(counts.REGRESSED, 'regressed violation')}${sev}`
        : `${counts.NEW} new, ${plural(counts.REGRESSED, 'regressed violation')}${sev}`;
  const found1 = `${plural(found, 'new violation')}${sev}`;
  const resolved = found > 0 ? `${counts.RESOLVED} resolved` : `${plural(counts.RESOLVED, 'violation')} resolved`;
  const incomplete =
    status === 'incomplete' ? [`scan incomplete: ${plural(sourcesNotRead, 'source')} not read`, 'scan incomplete'] : [];
  const compose = (main: (string | false)[], tail: string | undefined): string =>
    [main.filter(Boolean).join(', '), tail].filter(Boolean).join('; ');

  if (found === 0 && counts.RESOLVED === 0 && incomplete.length === 0) {
    return counts.open === null ? ['no changes'] : [`no changes, ${counts.open} still open`, 'no changes'];
  }
  const withResolved = counts.RESOLVED > 0 && resolved;
  return [
    compose([found > 0 && found0, withResolved], incomplete[0]),
    compose([found > 0 && found1, withResolved], incomplete[0]),
    compose([found > 0 && found1, found === 0 && withResolved], incomplete[0]),
    compose([found > 0 && found1, found === 0 && withResolved], incomplete[1]),
  ];
}
