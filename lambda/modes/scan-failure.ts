import { METRIC } from '../function-contract';
import type { JobDeps } from '../job-deps';
import { publishDigest } from './publish-digest';

// A scan that could not finish: logged, counted, recorded (unless a dry run) and announced, so
// the history shows the night it failed and nothing is resolved by a scan that saw nothing.

export interface ScanAttempt {
  scanId: string;
  startedAt: string;
  dryRun: boolean;
  wantNotify: boolean;
  /** The org host once the secret was read; null before. */
  org: string | null;
}

export interface FailedScan {
  reason: string;
  notified: boolean;
}

export async function recordScanFailure(deps: JobDeps, attempt: ScanAttempt, error: unknown): Promise<FailedScan> {
  const { scanId, startedAt } = attempt;
  const reason = error instanceof Error ? error.message : String(error);
  deps.log.error('scan failed', { scanId, reason });
  deps.metrics.count(METRIC.scanFailed, 1);
  if (attempt.dryRun) return { reason, notified: false };
  // Without the secret the org is the one it pointed at last time; the count of what stays open is then known too.
  const knownOrg = attempt.org ?? (await deps.store.secretOrg(deps.secretName).catch(() => null));
  const recordedOrg = knownOrg ?? deps.secretName;
  await deps.store
    .recordFailure({ scanId, org: recordedOrg, startedAt }, reason)
    .catch((e) => deps.log.error('could not record the failed scan', { scanId, reason: (e as Error).message }));
  if (!attempt.wantNotify) return { reason, notified: false };
  // Nothing was checked, so what stays open is what the store holds; unknown if it cannot say.
  const openCount =
    knownOrg === null
      ? undefined
      : await deps.store.openFindings(knownOrg).then(
          (open) => open.length,
          () => undefined,
        );
  const notified = await publishDigest(deps, {
    report: null,
    changes: [],
    openCount,
    failure: reason,
    org: recordedOrg,
    scanId,
    startedAt,
  });
  return { reason, notified };
}
