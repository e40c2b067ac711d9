import type { Report } from '../domain/finding';
import type { FindingChange } from '../domain/history';
import type { ReportPage } from '../domain/scan-exports';
import { METRIC } from '../function-contract';
import type { JobDeps } from '../job-deps';
import { buildDigest } from '../sinks/digest';

export interface DigestInput {
  report: Report | null;
  changes: FindingChange[];
  /** Violations open after this scan; undefined when nobody can say (the digest then leaves it out). */
  openCount: number | undefined;
  failure?: string;
  org: string;
  scanId: string;
  startedAt: string;
  /** The scan's HTML page in the artifact bucket, when it was written. */
  reportPage?: ReportPage | null;
}

/** Publishes a digest; a failed publish is logged and counted, never loses the recorded scan. */
export async function publishDigest(deps: JobDeps, input: DigestInput): Promise<boolean> {
  const { scanId, org, startedAt } = input;
  try {
    const digest = buildDigest({
      report: input.report,
      scan: { scanId, org, startedAt, finishedAt: deps.now().toISOString() },
      changes: input.changes,
      openCount: input.openCount,
      expiringSuppressions: deps.config.suppressions,
      // The JSON report in the artifact bucket is the scan's full record, when it was written.
      recordPointer: input.reportPage?.recordUri ?? deps.recordPointer,
      failure: input.failure,
      reportPage: input.reportPage ?? undefined,
    });
    await deps.notifier.publish(digest);
    deps.metrics.count(METRIC.notificationSent, 1);
    return true;
  } catch (error) {
    deps.log.error('could not publish the digest', { scanId, reason: (error as Error).message });
    deps.metrics.count(METRIC.notificationFailed, 1);
    return false;
  }
}
