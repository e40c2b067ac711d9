import { parseInvocation } from './invocation';
import type { JobDeps } from './job-deps';
import { type OwnerStoppedResult, runOwnerStopped } from './modes/owner-stopped';
import { type PeopleResult, runPeople } from './modes/people';
import { runScan, type ScanSummary } from './modes/scan';
import { runWhatIf, type WhatIfResult } from './modes/whatif';
import { adHocOrg } from './orchestration/org-deps';
import { runStep, type StepResult } from './orchestration/steps';

// What one Lambda invocation does: parse the payload (refusing it before any work), then hand it
// to its mode. The handler only wires AWS clients to the deps, so tests run this same path.

export type JobResult = ScanSummary | WhatIfResult | PeopleResult | OwnerStoppedResult | StepResult;

export async function runJob(event: unknown, deps: JobDeps): Promise<JobResult> {
  const request = parseInvocation(event, deps.checkRuleIds, { oktaEventSource: deps.oktaEventSource });
  switch (request.mode) {
    case 'plan':
    case 'collect':
    case 'finish':
    case 'failed':
      return runStep(request, deps);
    case 'whatif':
      return runWhatIf(request, adHocOrg(deps, request.org));
    case 'people':
      return runPeople(request, adHocOrg(deps, request.org));
    case 'ownerStopped':
      return runOwnerStopped(request, deps);
    default:
      return runScan(request, adHocOrg(deps, request.org));
  }
}
