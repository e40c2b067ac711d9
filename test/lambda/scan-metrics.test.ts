import { describe, expect, it } from 'vitest';
import type { Report } from '../../lambda/domain/finding';
import { failSeverityMetric, findingsMetric, METRIC } from '../../lambda/function-contract';
import { countScanMetrics, type FinishedScan } from '../../lambda/scan-metrics';

// The numbers the stack's alarms and dashboards read after each scan, under the contract's names.

function recorded(scan: FinishedScan): Record<string, number> {
  const seen: Record<string, number> = {};
  const add = (name: string, value: number): void => {
    expect(seen, `${name} emitted once`).not.toHaveProperty(name);
    seen[name] = value;
  };
  countScanMetrics({ count: add, duration: add }, scan);
  return seen;
}

const summary: Report['summary'] = {
  byStatus: { PASS: 7, FAIL: 5, UNKNOWN: 2, SUPPRESSED: 1 },
  failBySeverity: { critical: 1, high: 2, medium: 1, low: 1, info: 0 },
};

function finished(overrides: Partial<FinishedScan> = {}): FinishedScan {
  return {
    report: { status: 'complete', summary } as Report,
    stats: { requests: 42, throttled: 3, retries: 4 },
    changes: { NEW: 2, ONGOING: 1, REGRESSED: 1, RESOLVED: 3 },
    durationMs: 1234,
    dryRun: false,
    ...overrides,
  };
}

describe('the metrics of a finished scan', () => {
  it('count requests, findings by status and failures by severity as the report has them', () => {
    const scan = finished();
    const seen = recorded(scan);
    expect(seen[METRIC.scanDuration]).toBe(scan.durationMs);
    expect(seen[METRIC.oktaRequests]).toBe(scan.stats.requests);
    expect(seen[METRIC.oktaThrottled]).toBe(scan.stats.throttled);
    for (const [status, n] of Object.entries(summary.byStatus)) expect(seen[findingsMetric(status)]).toBe(n);
    for (const [severity, n] of Object.entries(summary.failBySeverity)) {
      expect(seen[failSeverityMetric(severity)]).toBe(n);
    }
  });

  it('count regressions as new, and what resolved', () => {
    const scan = finished();
    const seen = recorded(scan);
    expect(seen[METRIC.newFindings]).toBe(scan.changes.NEW + scan.changes.REGRESSED);
    expect(seen[METRIC.resolvedFindings]).toBe(scan.changes.RESOLVED);
  });

  it('beat the heartbeat for a recorded scan, complete or not, and never for a dry run', () => {
    expect(recorded(finished())).toMatchObject({ [METRIC.scanFinished]: 1, [METRIC.scanIncomplete]: 0 });
    const incomplete = finished({ report: { status: 'incomplete', summary } as Report });
    expect(recorded(incomplete)).toMatchObject({ [METRIC.scanFinished]: 1, [METRIC.scanIncomplete]: 1 });
    expect(recorded(finished({ dryRun: true }))).not.toHaveProperty(METRIC.scanFinished);
  });
});
