import type { PeopleReport } from '../domain/people';
import type { PeopleRequest } from '../invocation';
import type { JobDeps } from '../job-deps';
import { peopleReport } from '../people';

// The people mode: a read-only scan answered as the accounts integrations run on, worst first
// (the JSON of `okta-scan people --format json`). Nothing is recorded or notified.

export type PeopleResult = { mode: 'people' } & PeopleReport;

export async function runPeople(_request: PeopleRequest, deps: JobDeps): Promise<PeopleResult> {
  const connection = await deps.loadConnection();
  const result = await deps.scan({ connection, config: deps.config });
  // Leaving dates count from the scan's own time, as the rules that flagged them did.
  const people = peopleReport(result.report, result.inventory, {
    config: deps.config,
    now: new Date(result.report.startedAt),
  });
  return { mode: 'people', ...people };
}
