import { z } from 'zod';
import { describeIssues, type ScannerConfig } from './config';
import type { Report } from './domain/finding';
import type { FindingChange, FindingStore } from './domain/history';
import type { WhatIfReport } from './domain/whatif';
import { ConfigError } from './errors';
import { failSeverityMetric, findingsMetric, METRIC } from './function-contract';
import { shouldNotify } from './notification-policy';
import type { OktaConnection } from './okta/connection';
import type { ScanResult } from './scan';
import { buildDigest } from './sinks/digest';
import type { Notifier } from './sinks/sns-notifier';

// What one Lambda invocation does, with every dependency handed in: the handler only wires AWS
// clients to this, so tests run the same path against dynalite and mocked AWS clients.

const scheduledEventSchema = z.looseObject({
  source: z.literal('aws.events'),
  'detail-type': z.literal('Scheduled Event'),
  id: z.string().optional(),
  time: z.string().optional(),
});

const adHocSchema = z.strictObject({
  mode: z.enum(['scan', 'whatif']).default('scan'),
  user: z.string().trim().min(1, 'must be a user id or login').optional(),
  dryRun: z.boolean().default(false),
  rules: z.array(z.string().min(1)).min(1, 'give at least one rule id, or leave rules out').optional(),
  notify: z.boolean().optional(),
});

export type JobRequest =
  | { kind: 'scheduled'; mode: 'scan'; dryRun: false; notify: undefined; rules: undefined; user: undefined }
  | ({ kind: 'adHoc' } & z.output<typeof adHocSchema>);

/** Rule ids as the payload gave them, when they are a list of strings (to check them even when other keys are wrong). */
function rawRuleIds(event: unknown): string[] | undefined {
  const rules = event && typeof event === 'object' ? (event as { rules?: unknown }).rules : undefined;
  if (!Array.isArray(rules) || !rules.every((r) => typeof r === 'string')) return undefined;
  // Empty ids are the schema's to report; the catalogue would only say the same again.
  const ids = rules.filter((r) => r.length > 0);
  return ids.length > 0 ? ids : undefined;
}

/**
 * Validates an invocation payload; lists every problem (unknown rule ids too, when `checkRuleIds`
 * is given) and does nothing else.
 */
export function parseJobEvent(event: unknown, checkRuleIds?: (ruleIds: readonly string[]) => void): JobRequest {
  if (scheduledEventSchema.safeParse(event).success) {
    return { kind: 'scheduled', mode: 'scan', dryRun: false, notify: undefined, rules: undefined, user: undefined };
  }
  const parsed = adHocSchema.safeParse(event ?? {});
  const problems = parsed.success ? [] : describeIssues(parsed.error);
  const ruleIds = rawRuleIds(event);
  if (ruleIds && checkRuleIds) {
    try {
      checkRuleIds(ruleIds);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      problems.push(...(error.problems.length > 0 ? error.problems : [error.message]).map((p) => `rules: ${p}`));
    }
  }
  if (parsed.success && parsed.data.mode === 'whatif') {
    if (!parsed.data.user) {
      problems.push('user: what-if needs the user to deactivate, e.g. {"mode":"whatif","user":"alice@acme.com"}');
    }
    // A what-if runs every rule and never records or notifies: these would be silently ignored.
    for (const key of ['rules', 'notify'] as const) {
      if (parsed.data[key] !== undefined) problems.push(`${key}: only used with "mode":"scan"`);
    }
  }
  if (parsed.success && parsed.data.mode === 'scan' && parsed.data.user) {
    problems.push('user: only used with "mode":"whatif"');
  }
  if (!parsed.success || problems.length > 0) {
    throw new ConfigError(
      'Invalid invocation payload (expected a scheduled EventBridge event or {"mode"?, "user"?, "dryRun"?, "rules"?, "notify"?})',
      problems,
    );
  }
  return { kind: 'adHoc', ...parsed.data };
}

export interface JobDeps {
  config: ScannerConfig;
  store: FindingStore;
  notifier: Notifier;
  /** Reads the Okta secret; throws CredentialsError on a secret that does not fit. */
  loadConnection(): Promise<OktaConnection>;
  /**
   * The secret's ARN or name. Each recorded scan remembers the org it pointed at, so a scan that
   * cannot read or use the secret is recorded under that org (else under this name), never "unknown".
   */
  secretName: string;
  scan: (options: {
    connection: OktaConnection;
    config: ScannerConfig;
    ruleIds?: readonly string[];
    extraUsers?: string[];
    scanId?: string;
    onProgress?: (m: string) => void;
    /** Add what the scan saw to the org's ledger (a recorded scan, not a dry run or what-if). */
    recordLedger?: boolean;
  }) => Promise<ScanResult>;
  whatIf: (result: ScanResult, user: string) => Promise<WhatIfReport>;
  /** Validates rule ids before any work; throws ConfigError. */
  checkRuleIds(ruleIds: readonly string[]): void;
  log: {
    info(message: string, extra?: object): void;
    warn(message: string, extra?: object): void;
    error(message: string, extra?: object): void;
  };
  metrics: { count(name: string, value: number): void; duration(name: string, ms: number): void };
  now(): Date;
  newScanId(): string;
  /** Where a person finds the full record, for the digest. */
  recordPointer: string;
}

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
}

export type JobResult = ScanSummary | ({ mode: 'whatif' } & WhatIfReport);

function countChanges(changes: FindingChange[]): Record<FindingChange['state'], number> {
  const counts = { NEW: 0, ONGOING: 0, REGRESSED: 0, RESOLVED: 0 };
  for (const change of changes) counts[change.state] += 1;
  return counts;
}

export async function runJob(event: unknown, deps: JobDeps): Promise<JobResult> {
  const request = parseJobEvent(event, deps.checkRuleIds);

  if (request.mode === 'whatif') {
    const connection = await deps.loadConnection();
    const result = await deps.scan({ connection, config: deps.config, extraUsers: [request.user!] });
    return { mode: 'whatif', ...(await deps.whatIf(result, request.user!)) };
  }

  const scanId = deps.newScanId();
  const startedAt = deps.now().toISOString();
  const dryRun = request.dryRun;
  const wantNotify = request.notify ?? true;
  let org: string | null = null;

  const fail = async (error: unknown): Promise<ScanSummary> => {
    const reason = error instanceof Error ? error.message : String(error);
    deps.log.error('scan failed', { scanId, reason });
    deps.metrics.count(METRIC.scanFailed, 1);
    let notified = false;
    if (!dryRun) {
      // Without the secret the org is the one it pointed at last time; the count of what stays open is then known too.
      const knownOrg = org ?? (await deps.store.secretOrg(deps.secretName).catch(() => null));
      const recordedOrg = knownOrg ?? deps.secretName;
      await deps.store
        .recordFailure({ scanId, org: recordedOrg, startedAt }, reason)
        .catch((e) => deps.log.error('could not record the failed scan', { scanId, reason: (e as Error).message }));
      if (wantNotify) {
        // Nothing was checked, so what stays open is what the store holds; unknown if it cannot say.
        const openCount =
          knownOrg === null
            ? undefined
            : await deps.store.openFindings(knownOrg).then(
                (open) => open.length,
                () => undefined,
              );
        notified = await publish(deps, {
          report: null,
          changes: [],
          openCount,
          failure: reason,
          org: recordedOrg,
          scanId,
          startedAt,
        });
      }
    }
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
  };

  let connection: OktaConnection;
  try {
    connection = await deps.loadConnection();
    const host = new URL(connection.orgUrl).host;
    org = host;
    if (!dryRun) {
      await deps.store.startScan({ scanId, org: host, startedAt });
      await deps.store.rememberSecretOrg(deps.secretName, host);
    }
  } catch (error) {
    return fail(error);
  }

  const began = Date.now();
  let result: ScanResult;
  let changes: FindingChange[] = [];
  try {
    result = await deps.scan({
      connection,
      config: deps.config,
      ruleIds: request.rules,
      scanId,
      onProgress: (message) => deps.log.info(message, { scanId }),
      recordLedger: !dryRun,
    });
    if (!dryRun) changes = await deps.store.recordScan(result.outcome);
  } catch (error) {
    return fail(error);
  }
  const { report, stats } = result;
  deps.metrics.duration(METRIC.scanDuration, Date.now() - began);
  deps.metrics.count(METRIC.oktaRequests, stats.requests);
  deps.metrics.count(METRIC.oktaThrottled, stats.throttled);
  deps.metrics.count(METRIC.scanIncomplete, report.status === 'incomplete' ? 1 : 0);
  // The heartbeat alarm watches this: a dry run proves nothing about the nightly scan.
  if (!dryRun) deps.metrics.count(METRIC.scanFinished, 1);
  for (const [status, n] of Object.entries(report.summary.byStatus)) deps.metrics.count(findingsMetric(status), n);
  for (const [severity, n] of Object.entries(report.summary.failBySeverity)) {
    deps.metrics.count(failSeverityMetric(severity), n);
  }
  const counts = countChanges(changes);
  deps.metrics.count(METRIC.newFindings, counts.NEW + counts.REGRESSED);
  deps.metrics.count(METRIC.resolvedFindings, counts.RESOLVED);
  deps.log.info('scan finished', { scanId, status: report.status, summary: report.summary, changes: counts });

  let notified = false;
  const mode = deps.config.notify;
  if (!dryRun && wantNotify && shouldNotify(mode, report, changes)) {
    const openCount = changes.filter((c) => c.state !== 'RESOLVED').length;
    notified = await publish(deps, { report, changes, openCount, org: report.org, scanId, startedAt });
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
  };
}

/** Publishes a digest; a failed publish is logged and counted, never loses the recorded scan. */
async function publish(
  deps: JobDeps,
  input: {
    report: Report | null;
    changes: FindingChange[];
    /** Violations open after this scan; undefined when nobody can say (the digest then leaves it out). */
    openCount: number | undefined;
    failure?: string;
    org: string;
    scanId: string;
    startedAt: string;
  },
): Promise<boolean> {
  const { scanId, org, startedAt } = input;
  try {
    const digest = buildDigest({
      report: input.report,
      scan: { scanId, org, startedAt, finishedAt: deps.now().toISOString() },
      changes: input.changes,
      openCount: input.openCount,
      expiringSuppressions: deps.config.suppressions,
      recordPointer: deps.recordPointer,
      failure: input.failure,
    });
    await deps.notifier.publish(digest);
    deps.metrics.count(METRIC.notificationSent, 1);
    return true;
  } catch (error) {
    deps.log.error('could not publish the digest', { scanId: input.scanId, reason: (error as Error).message });
    deps.metrics.count(METRIC.notificationFailed, 1);
    return false;
  }
}
