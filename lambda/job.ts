import { parseInvocation } from './invocation';
import type { JobDeps } from './job-deps';
import { runScan, type ScanSummary } from './modes/scan';
import { runWhatIf, type WhatIfResult } from './modes/whatif';

// What one Lambda invocation does: parse the payload (refusing it before any work), then hand it
// to its mode. The handler only wires AWS clients to the deps, so tests run this same path.

export type JobResult = ScanSummary | WhatIfResult;

export async function runJob(event: unknown, deps: JobDeps): Promise<JobResult> {
  const request = parseInvocation(event, deps.checkRuleIds);
  return request.mode === 'whatif' ? runWhatIf(request, deps) : runScan(request, deps);
}
