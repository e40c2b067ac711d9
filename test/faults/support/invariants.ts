import { expect } from 'vitest';
import { ALL_RESOURCES, type Finding, type Report } from '../../../lambda/domain/finding';
import type { SourceName } from '../../../lambda/domain/inventory';
import { getRule } from '../../../lambda/rules';

// What every row of the matrix must show, whatever the fault: a scan that could not read
// something says so (incomplete, exit 3), never calls what it could not see a PASS, and never
// drops or resolves a violation it could not see. No secret in anything it writes.

const WHOLE_LIST_IDS = new Set(Object.values(ALL_RESOURCES).map((r) => r.id));

/** Sources the report names as not read, sorted. */
export function failedSources(report: Pick<Report, 'errors'>): string[] {
  return report.errors.map((e) => e.source).sort();
}

export function expectStatus(report: Report, failed: readonly SourceName[]): void {
  expect(failedSources(report)).toEqual([...failed].sort());
  expect(report.status).toBe(failed.length > 0 ? 'incomplete' : 'complete');
}

/** No PASS rests on a source that was not read. */
export function expectNothingFalselyClean(report: Report): void {
  const failed = new Set(failedSources(report));
  const passes = report.findings
    .filter((f) => f.status === 'PASS' && getRule(f.ruleId)!.sources.some((s) => failed.has(s)))
    .map((f) => `${f.ruleId} ${f.resource.id}`);
  expect(passes, 'PASS findings that rest on a source that was not read').toEqual([]);
}

/** The resource is still judged: by its own finding, or by its rule's "could not list" row. */
function judged(finding: Pick<Finding, 'id' | 'ruleId' | 'status'>, after: readonly Finding[]): boolean {
  const same = after.find((f) => f.id === finding.id);
  if (same) return finding.status !== 'FAIL' || same.status !== 'PASS';
  return after.some(
    (f) =>
      f.ruleId === finding.ruleId &&
      f.status === 'UNKNOWN' &&
      (WHOLE_LIST_IDS.has(f.resource.id) || f.resource.id.endsWith('/*')),
  );
}

/**
 * Against a clean scan of the same org: every resource still gets a verdict, and every violation
 * is still a violation or "could not be checked" (never a PASS, never gone).
 */
export function expectNoViolationLost(before: readonly Finding[], after: readonly Finding[]): void {
  const lost = before
    .filter((f) => !judged(f, after))
    .map((f) => `${f.ruleId} ${f.resource.id}: ${f.status} -> ${after.find((a) => a.id === f.id)?.status ?? 'absent'}`);
  expect(lost, 'resources a faulted scan dropped, or violations it turned into PASS').toEqual([]);
}

/** None of the secrets appears in the text (a report, a log, a digest, a table dump). */
export function expectNoSecret(text: string, secrets: readonly string[]): void {
  for (const secret of secrets) expect(text.includes(secret), 'a secret value was written out').toBe(false);
}
