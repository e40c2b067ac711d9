import type { OrgRun } from '../domain/checkpoint';
import type { JobDeps } from '../job-deps';
import { recordScanFailure } from '../modes/scan-failure';
import { checkpointStore, orgNamed, withOrg } from './org-deps';
import type { StepError } from './payload';

// The RecordFailure step: a Collect or Finish step failed for good (after Step Functions'
// retries). The org's scan is recorded and notified as failed, its lock freed; the other orgs go on.

export interface FailedStepResult {
  state: 'failed';
  org: string;
  reason: string;
  notified: boolean;
}

/** What the failed step said: the Lambda error's message inside Step Functions' Cause, if it is there. */
export function describeStepError(error: StepError): string {
  const cause = error.Cause ?? '';
  try {
    const parsed = JSON.parse(cause) as { errorMessage?: unknown };
    if (typeof parsed.errorMessage === 'string' && parsed.errorMessage) return parsed.errorMessage;
  } catch {
    // Not a Lambda error: Step Functions' own (States.Timeout, …) has a plain-text cause.
  }
  const said = [error.Error, cause].filter(Boolean).join(': ');
  return said.slice(0, 1000) || 'the step failed without saying why';
}

export async function runFailedStep(run: OrgRun, error: StepError, deps: JobDeps): Promise<FailedStepResult> {
  const org = orgNamed(deps, run.org);
  // Only the scan's id and start: the answers are not needed to record the failure.
  const manifest = await checkpointStore(deps)
    .manifest(run.org, run.runId)
    .catch(() => null);
  const reason = describeStepError(error);
  const failed = await recordScanFailure(
    withOrg(deps, org),
    {
      scanId: manifest?.scanId ?? deps.newScanId(),
      startedAt: manifest?.startedAt ?? deps.now().toISOString(),
      dryRun: run.dryRun,
      wantNotify: true,
      org: null,
    },
    new Error(reason),
  );
  return { state: 'failed', org: run.org, reason: failed.reason, notified: failed.notified };
}
