import type { OrgRun, RunCheckpoint, RunManifest } from '../domain/checkpoint';
import { ScanConflictError, StepInterrupted } from '../errors';
import type { JobDeps } from '../job-deps';
import { type OktaConnection, orgHost } from '../okta/connection';
import { StepBudget } from '../okta/step-budget';
import type { ResolvedOrg } from '../org-configs';
import { CheckpointJournal } from './checkpoint-journal';
import { checkpointStore, orgNamed, withOrg } from './org-deps';

// The Collect step: reads the org until its inventory is complete, the invocation's time runs
// short, or Okta's rate limit asks for a long wait. Then it returns, and the state machine either
// waits (a Wait state: no Lambda time is paid for it) or calls it again. Each call replays the
// answers earlier calls saved, so it resumes where the last one stopped.

/**
 * Time kept back at the end of an invocation: enough to save the last segment and return, and
 * short of the DurationNearTimeout alarm (80 % of the 15-minute timeout) on every step.
 */
export const COLLECT_RESERVE_MS = 240_000;
/** A rate-limit wait longer than this ends the step and becomes a Wait state. */
export const LONG_WAIT_MS = 10_000;

export type CollectStepResult =
  | { state: 'collecting'; waitSeconds: number }
  | { state: 'collected' }
  | { state: 'skipped'; reason: string };

/** The run's manifest, made by its first step; every step reads the org as of its startedAt. */
function nextManifest(run: OrgRun, saved: RunCheckpoint | null, deps: JobDeps): RunManifest {
  const manifest: RunManifest = saved?.manifest ?? {
    schemaVersion: 1,
    org: run.org,
    runId: run.runId,
    scanId: deps.newScanId(),
    startedAt: deps.now().toISOString(),
    steps: 0,
  };
  return { ...manifest, steps: manifest.steps + 1 };
}

/**
 * The Wait before the next step: until the window reopens (`resetAt`), less the time a resumed
 * step takes before Okta's first answer (reading the checkpoint, replaying it). The next step
 * takes about as long as this one did, so it replays while the window is still closed and its
 * first request goes out as the window opens; what is left of the window its rate-limit gate
 * (gateState) waits out.
 */
export function nextWaitSeconds(times: { resetAt: number; now: number; resumeMs: number }): number {
  return Math.max(0, Math.ceil((times.resetAt - times.now - times.resumeMs) / 1000));
}

interface OpenRun {
  saved: RunCheckpoint | null;
  manifest: RunManifest;
  connection: OktaConnection;
}

/**
 * Loads the run's checkpoint, saves its manifest before any request (so a crash in this step
 * resumes with the same scan and window), reads the org's secret and, unless a dry run, takes
 * or renews the org's lock for this scan: a second execution's scan of the org is refused.
 */
async function openRun(run: OrgRun, org: ResolvedOrg, deps: JobDeps): Promise<OpenRun | { skipped: string }> {
  const store = checkpointStore(deps);
  const saved = await store.load(run.org, run.runId);
  const manifest = nextManifest(run, saved, deps);
  await store.saveManifest(manifest);
  const connection = await withOrg(deps, org).loadConnection();
  const host = orgHost(connection.orgUrl);
  if (!run.dryRun) {
    try {
      await deps.store.startScan({ scanId: manifest.scanId, org: host, startedAt: manifest.startedAt });
    } catch (error) {
      if (error instanceof ScanConflictError) return { skipped: error.message };
      throw error;
    }
    await deps.store.rememberSecretOrg(org.secret, host);
  }
  return { saved, manifest, connection };
}

export async function runCollectStep(run: OrgRun, deps: JobDeps): Promise<CollectStepResult> {
  const startedAt = deps.now().getTime();
  const org = orgNamed(deps, run.org);
  const opened = await openRun(run, org, deps);
  if ('skipped' in opened) return { state: 'skipped', reason: opened.skipped };
  const { saved, manifest, connection } = opened;
  const store = checkpointStore(deps);
  const journal = new CheckpointJournal({
    store,
    org: run.org,
    runId: run.runId,
    step: manifest.steps,
    saved: saved?.answers ?? {},
    now: () => deps.now().getTime(),
  });
  const budget = new StepBudget({
    remainingMs: deps.remainingMs ?? (() => Number.POSITIVE_INFINITY),
    reserveMs: COLLECT_RESERVE_MS,
    longWaitMs: LONG_WAIT_MS,
  });
  const { scanId } = manifest;
  deps.log.info('collect step', { scanId, org: run.org, step: manifest.steps, replayed: journal.savedCount });
  try {
    await withOrg(deps, org).scan({
      connection,
      config: org.config,
      ruleIds: run.rules,
      scanId,
      now: new Date(manifest.startedAt),
      onProgress: (message) => deps.log.info(message, { scanId }),
      client: { journal, budget, gateState: manifest.gate },
    });
  } catch (error) {
    const stoppedAt = deps.now().getTime();
    // Requests still on their way when the scan stopped are answered and journaled first.
    await budget.settled();
    await journal.close();
    if (!(error instanceof StepInterrupted)) throw error;
    await store.saveManifest({ ...manifest, gate: error.gate });
    const now = deps.now().getTime();
    // A first step replayed nothing: how long it took to start says nothing of the next one's replay.
    const resumeMs = journal.savedCount > 0 ? (journal.firstRecordAt ?? now) - startedAt : 0;
    return { state: 'collecting', waitSeconds: nextWaitSeconds({ resetAt: stoppedAt + error.waitMs, now, resumeMs }) };
  }
  await journal.close();
  return { state: 'collected' };
}
