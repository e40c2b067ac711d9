import type { WhatIfReport } from '../domain/whatif';
import type { WhatIfRequest } from '../invocation';
import type { JobDeps } from '../job-deps';
import { whatIf, whatIfReport } from '../whatif';

// The what-if mode: a read-only scan that also reads the user, and the answer to "what breaks if
// this person is deactivated". Nothing is recorded or notified.

export type WhatIfResult = { mode: 'whatif' } & WhatIfReport;

export async function runWhatIf(request: WhatIfRequest, deps: JobDeps): Promise<WhatIfResult> {
  const connection = await deps.loadConnection();
  const result = await deps.scan({ connection, config: deps.config, extraUsers: [request.user] });
  const now = new Date(result.report.startedAt);
  const answer = whatIf(result.inventory, result.report.findings, request.user, {
    serviceAccounts: deps.config.serviceAccounts,
  });
  return { mode: 'whatif', ...whatIfReport(result.report, result.inventory, request.user, now, answer) };
}
