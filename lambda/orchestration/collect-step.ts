import type { OrgRun, RunCheckpoint, RunManifest } from '../domain/checkpoint';
import { ScanConflictError, StepInterrupted } from '../errors';
import type { JobDeps } from '../job-deps';
import { orgHost } from '../okta/connection';
import { StepBudget } from '../okta/step-budget';
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

export async function runCollectStep(run: OrgRun, deps: JobDeps): Promise<CollectStepResult> {
  const org = orgNamed(deps, run.org);
  const orgDeps = withOrg(deps, org);
  const store = checkpointStore(deps);
  const saved = await store.load(run.org, run.runId);
  const manifest = nextManifest(run, saved, deps);
  // Saved before any request, so a crash in this step resumes with the same scan and window.
  await store.saveManifest(manifest);
  const connection = await orgDeps.loadConnection();
  const host = orgHost(connection.orgUrl);
  if (!run.dryRun) {
    try {
      // Takes the org's lock for this scan, or renews it: a second execution's scan is refused.
      await deps.store.startScan({ scanId: manifest.scanId, org: host, startedAt: manifest.startedAt });
    } catch (error) {
      if (error instanceof ScanConflictError) return { state: 'skipped', reason: error.message };
      throw error;
    }
    await deps.store.rememberSecretOrg(org.secret, host);
  }
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
  deps.log.info('collect step', {
    scanId: manifest.scanId,
    org: run.org,
    step: manifest.steps,
    replayed: journal.savedCount,
  });
  try {
    await orgDeps.scan({
      connection,
      config: org.config,
      ruleIds: run.rules,
      scanId: manifest.scanId,
      now: new Date(manifest.startedAt),
      onProgress: (message) => deps.log.info(message, { scanId: manifest.scanId }),
      client: { journal, budget, gateState: manifest.gate },
    });
  } catch (error) {
    // Requests still on their way when the scan stopped are answered and journaled first.
    await budget.settled();
    await journal.close();
    if (!(error instanceof StepInterrupted)) throw error;
    await store.saveManifest({ ...manifest, gate: error.gate });
    return { state: 'collecting', waitSeconds: Math.ceil(error.waitMs / 1000) };
  }
  await journal.close();
  return { state: 'collected' };
}
