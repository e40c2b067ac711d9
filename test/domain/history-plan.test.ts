import { describe, expect, it } from 'vitest';
import type { Finding, Report } from '../../lambda/domain/finding';
import type { FindingChange, ScanOutcome } from '../../lambda/domain/history';
import { dedupeFindings, diffFindings, planFindings } from '../../lambda/domain/history-plan';
import { historyFinding } from '../support/history-findings';

// The state machine every history store shares, without a store: NEW, ONGOING, REGRESSED and
// RESOLVED, and what a scan that could not see a finding does to it (nothing).

const states = (changes: FindingChange[]) =>
  Object.fromEntries(changes.map((c) => [c.finding.id, c.state])) as Record<string, string>;

describe('diffFindings', () => {
  const at = '2026-03-02T00:00:00.000Z';
  const outcome = (findings: Finding[], completeRules = ['api-token-owner-is-human'], scanId = 's2'): ScanOutcome => ({
    report: { scanId, startedAt: at, findings } as Report,
    rulesRun: ['api-token-owner-is-human'],
    completeRules,
  });
  const open = (id: string, extra: { scanId?: string; state?: FindingChange['state'] } = {}) => ({
    finding: historyFinding(id, 'FAIL'),
    firstSeen: '2026-01-01T00:00:00.000Z',
    lastSeen: '2026-03-01T00:00:00.000Z',
    ...extra,
  });

  it('tells new, ongoing, regressed and resolved violations apart without touching DynamoDB', () => {
    const changes = diffFindings(
      {
        open: [open('ongoing'), open('fixed'), open('gone')],
        resolved: [{ ...open('back'), resolvedAt: '2026-02-01T00:00:00.000Z' }],
      },
      outcome([
        historyFinding('new', 'FAIL'),
        historyFinding('ongoing', 'FAIL'),
        historyFinding('fixed', 'PASS'),
        historyFinding('back', 'FAIL'),
      ]),
    );
    expect(states(changes)).toEqual({
      new: 'NEW',
      ongoing: 'ONGOING',
      fixed: 'RESOLVED',
      gone: 'RESOLVED',
      back: 'REGRESSED',
    });
    expect(changes.find((c) => c.finding.id === 'back')!.firstSeen).toBe('2026-01-01T00:00:00.000Z');
  });

  it('keeps a missing finding open when its rule did not run completely', () => {
    expect(states(diffFindings({ open: [open('a')], resolved: [] }, outcome([], [])))).toEqual({ a: 'ONGOING' });
  });

  it('repeats the state a scan already recorded when the same scan is recorded again', () => {
    const changes = diffFindings(
      {
        open: [open('a', { scanId: 's2', state: 'NEW' })],
        resolved: [{ ...open('b'), resolvedAt: at, scanId: 's2' }],
      },
      outcome([historyFinding('a', 'FAIL')]),
    );
    expect(states(changes)).toEqual({ a: 'NEW', b: 'RESOLVED' });
  });

  it('keeps a violation open, and does not announce it, while the scan can only say UNKNOWN', () => {
    const changes = diffFindings({ open: [open('a')], resolved: [] }, outcome([historyFinding('a', 'UNKNOWN')]));
    expect(changes).toEqual([
      { state: 'ONGOING', finding: open('a').finding, firstSeen: open('a').firstSeen, lastSeen: open('a').lastSeen },
    ]);
  });

  it('neither resolves nor re-announces a suppressed violation', () => {
    expect(diffFindings({ open: [open('a')], resolved: [] }, outcome([historyFinding('a', 'SUPPRESSED')]))).toEqual([]);
  });

  it('does not resolve a finding that passes and was never open', () => {
    expect(diffFindings({ open: [], resolved: [] }, outcome([historyFinding('a', 'PASS')]))).toEqual([]);
  });

  it('lets an open finding win over a resolved marker left by a crashed run', () => {
    const changes = diffFindings(
      { open: [open('a')], resolved: [{ ...open('a'), resolvedAt: '2026-02-01T00:00:00.000Z' }] },
      outcome([historyFinding('a', 'FAIL')]),
    );
    expect(states(changes)).toEqual({ a: 'ONGOING' });
  });

  it('marks as seen only what failed in this scan, with this scan as lastSeen', () => {
    const planned = planFindings(
      { open: [open('unknown'), open('fails')], resolved: [] },
      outcome([historyFinding('unknown', 'UNKNOWN'), historyFinding('fails', 'FAIL')]),
      at,
    );
    expect(planned.map((p) => [p.change.finding.id, p.seen, p.change.lastSeen])).toEqual([
      ['fails', true, at],
      ['unknown', false, '2026-03-01T00:00:00.000Z'],
    ]);
  });
});

describe('dedupeFindings', () => {
  it('keeps one finding per id, the worst verdict winning', () => {
    const byId = dedupeFindings([
      historyFinding('a', 'PASS'),
      historyFinding('a', 'FAIL'),
      historyFinding('a', 'UNKNOWN'),
    ]);
    expect([...byId.values()].map((f) => f.status)).toEqual(['FAIL']);
  });
});
