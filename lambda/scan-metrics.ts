import type { Report } from './domain/finding';
import type { FindingChange } from './domain/history';
import { failSeverityMetric, findingsMetric, METRIC } from './function-contract';
import type { JobMetrics } from './job-deps';
import type { ScanStats } from './scan';

// The metrics of one finished scan. The names are the function contract's, which the stack's
// alarms watch (lib/scanner-alarms.ts), so neither side can rename one alone.

export interface FinishedScan {
  report: Report;
  stats: ScanStats;
  changes: Record<FindingChange['state'], number>;
  durationMs: number;
  dryRun: boolean;
}

export function countScanMetrics(metrics: JobMetrics, scan: FinishedScan): void {
  const { report, stats, changes } = scan;
  metrics.duration(METRIC.scanDuration, scan.durationMs);
  metrics.count(METRIC.oktaRequests, stats.requests);
  metrics.count(METRIC.oktaThrottled, stats.throttled);
  metrics.count(METRIC.scanIncomplete, report.status === 'incomplete' ? 1 : 0);
  // The heartbeat alarm watches this: a dry run proves nothing about the nightly scan.
  if (!scan.dryRun) metrics.count(METRIC.scanFinished, 1);
  for (const [status, n] of Object.entries(report.summary.byStatus)) metrics.count(findingsMetric(status), n);
  for (const [severity, n] of Object.entries(report.summary.failBySeverity)) {
    metrics.count(failSeverityMetric(severity), n);
  }
  metrics.count(METRIC.newFindings, changes.NEW + changes.REGRESSED);
  metrics.count(METRIC.resolvedFindings, changes.RESOLVED);
}
