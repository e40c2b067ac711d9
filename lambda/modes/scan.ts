import type { Report } from '../domain/finding';
import type { FindingChange } from '../domain/history';
import type { FindingsImport } from '../domain/scan-exports';
import type { ScanRequest } from '../invocation';
import type { JobDeps, JobScanOptions } from '../job-deps';
import { shouldNotify } from '../notification-policy';
import { type OktaConnection, orgHost } from '../okta/connection';
import type { ScanResult } from '../scan';
import { countScanMetrics } from '../scan-metrics';
import { publishDigest } from './publish-digest';
import { exportScan } from './scan-exports';
import { recordScanFailure, type ScanAttempt } from './scan-failure';

// The scan mode: read the secret, scan, record the outcome in the history (NEW, ONGOING,
// REGRESSED, RESOLVED), count it, and send the digest when the notification policy says so.

export interface ScanSummary {
  mode: 'scan';
  scanId: string;
  org: string | null;
  status: Report['status'] | 'failed';
  dryRun: boolean;
  summary: Report['summary'] | null;
  errors: Report['errors'];
  changes: Record<FindingChange['state'], number> | null;
  notified: boolean;
  failureReason?: string;
  /** s3:// URI of the scan's HTML page, when the deployment has an artifact bucket and it was written. */
  reportPage?: string;
  /** What the Security Hub import did, when `securityHub` is on. */
  securityHub?: FindingsImport;
}

function countChanges(changes: FindingChange[]): Record<FindingChange['state'], number> {
  const counts = { NEW: 0, ONGOING: 0, REGRESSED: 0, RESOLVED: 0 };
  for (const change of changes) counts[change.state] += 1;
  return counts;
}

/** Reads the secret and, unless a dry run, opens the scan's record under its org. */
async function openScan(deps: JobDeps, attempt: ScanAttempt): Promise<OktaConnection> {
  const connection = await deps.loadConnection();
  attempt.org = orgHost(connection.orgUrl);
  if (!attempt.dryRun) {
    await deps.store.startScan({ scanId: attempt.scanId, org: attempt.org, startedAt: attempt.startedAt });
    await deps.store.rememberSecretOrg(deps.secretName, attempt.org);
  }
  return connection;
}

interface Scanned {
  result: ScanResult;
  changes: FindingChange[];
  /** The scan and its recording, without reading the secret. */
  durationMs: number;
}

/**
 * A scan the state machine collected in earlier steps: its id and start are the run's, and its
 * Okta client answers from the run's checkpoint.
 */
export interface ResumedScan {
  scanId: string;
  startedAt: string;
  client: JobScanOptions['client'];
}

async function scanAndRecord(
  deps: JobDeps,
  request: ScanRequest,
  attempt: ScanAttempt,
  resumed?: ResumedScan,
): Promise<Scanned> {
  const connection = await openScan(deps, attempt);
  const began = deps.now().getTime();
  const result = await deps.scan({
    connection,
    config: deps.config,
    ruleIds: request.rules,
    scanId: attempt.scanId,
    onProgress: (message) => deps.log.info(message, { scanId: attempt.scanId }),
    recordLedger: !attempt.dryRun,
    ...(resumed && { now: new Date(resumed.startedAt), client: resumed.client }),
  });
  const changes = attempt.dryRun ? [] : await deps.store.recordScan(result.outcome);
  return { result, changes, durationMs: deps.now().getTime() - began };
}

function failedSummary(attempt: ScanAttempt, reason: string, notified: boolean): ScanSummary {
  const { scanId, org, dryRun } = attempt;
  return {
    mode: 'scan',
    scanId,
    org,
    status: 'failed',
    dryRun,
    summary: null,
    errors: [],
    changes: null,
    notified,
    failureReason: reason,
  };
}

export async function runScan(request: ScanRequest, deps: JobDeps, resumed?: ResumedScan): Promise<ScanSummary> {
  const attempt: ScanAttempt = {
    scanId: resumed?.scanId ?? deps.newScanId(),
    startedAt: resumed?.startedAt ?? deps.now().toISOString(),
    dryRun: request.dryRun,
    wantNotify: request.notify ?? true,
    org: null,
  };
  let scanned: Scanned;
  try {
    scanned = await scanAndRecord(deps, request, attempt, resumed);
  } catch (error) {
    const failed = await recordScanFailure(deps, attempt, error);
    return failedSummary(attempt, failed.reason, failed.notified);
  }
  const { scanId, startedAt, dryRun } = attempt;
  const { result, changes, durationMs } = scanned;
  const { report, stats } = result;
  const counts = countChanges(changes);
  countScanMetrics(deps.metrics, { report, stats, changes: counts, durationMs, dryRun });
  deps.log.info('scan finished', { scanId, status: report.status, summary: report.summary, changes: counts });

  // A dry run records nothing, so it exports nothing either.
  const exported = dryRun
    ? { reportPage: null, securityHub: null }
    : await exportScan(deps, report, changes, result.inventory);
  const { reportPage } = exported;
  let notified = false;
  if (!dryRun && attempt.wantNotify && shouldNotify(deps.config.notify, report, changes)) {
    const openCount = changes.filter((c) => c.state !== 'RESOLVED').length;
    notified = await publishDigest(deps, {
      report,
      changes,
      openCount,
      org: report.org,
      scanId,
      startedAt,
      reportPage,
    });
  }
  return {
    mode: 'scan',
    scanId,
    org: report.org,
    status: report.status,
    dryRun,
    summary: report.summary,
    errors: report.errors,
    changes: dryRun ? null : counts,
    notified,
    ...(reportPage ? { reportPage: reportPage.uri } : {}),
    ...(exported.securityHub ? { securityHub: exported.securityHub } : {}),
  };
}
