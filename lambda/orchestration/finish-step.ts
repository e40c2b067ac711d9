import type { OrgRun } from '../domain/checkpoint';
import { ConfigError } from '../errors';
import type { JobDeps } from '../job-deps';
import { runScan, type ScanSummary } from '../modes/scan';
import { CheckpointJournal } from './checkpoint-journal';
import { checkpointStore, orgNamed, withOrg } from './org-deps';

// The Finish step: once the Collect steps have read everything, the scan mode runs as it does for
// one invocation (evaluate, record, export, notify), its Okta client answering from the run's
// checkpoint, so it asks Okta nothing the run has already read.

export interface FinishStepResult {
  state: 'finished' | 'failed';
  org: string;
  scan: ScanSummary;
}

export async function runFinishStep(run: OrgRun, deps: JobDeps): Promise<FinishStepResult> {
  const org = orgNamed(deps, run.org);
  const store = checkpointStore(deps);
  const saved = await store.load(run.org, run.runId);
  if (!saved)
    throw new ConfigError(`Run ${run.runId} of ${run.org} has no checkpoint: a Finish step follows the Collect steps`);
  const { manifest } = saved;
  const journal = new CheckpointJournal({
    store,
    org: run.org,
    runId: run.runId,
    step: manifest.steps + 1,
    saved: saved.answers,
    now: () => deps.now().getTime(),
  });
  const request = {
    kind: 'scheduled',
    mode: 'scan',
    dryRun: run.dryRun,
    ...(run.rules && { rules: run.rules }),
  } as const;
  const scan = await runScan(request, withOrg(deps, org), {
    scanId: manifest.scanId,
    startedAt: manifest.startedAt,
    client: { journal, gateState: manifest.gate },
  });
  await journal.close();
  // A failed scan was recorded and notified by the scan mode: the state machine goes on.
  return { state: scan.status === 'failed' ? 'failed' : 'finished', org: run.org, scan };
}
