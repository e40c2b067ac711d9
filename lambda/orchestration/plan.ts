import { z } from 'zod';
import { describeIssues } from '../config';
import type { OrgRun } from '../domain/checkpoint';
import { ConfigError } from '../errors';
import { unknownRuleProblems } from '../invocation';
import type { JobDeps } from '../job-deps';
import { configuredOrgs } from './org-deps';

// The first step of an execution: checks the input a person or the schedule gave
// ({"orgs"?, "dryRun"?, "rules"?}) against the configured orgs and the rule catalogue, before any
// org is touched, and hands the Map one run per org.

const inputSchema = z.strictObject({
  orgs: z.array(z.string().min(1)).min(1, 'name at least one org, or leave orgs out to scan them all').optional(),
  dryRun: z.boolean().default(false),
  rules: z.array(z.string().min(1)).min(1, 'give at least one rule id, or leave rules out').optional(),
});

export interface PlanResult {
  runs: { run: OrgRun }[];
}

export function runPlan(input: unknown, deps: JobDeps): PlanResult {
  const parsed = inputSchema.safeParse(input ?? {});
  const configured = configuredOrgs(deps).map((org) => org.name);
  const problems = parsed.success ? [] : describeIssues(parsed.error);
  const wanted = parsed.success ? [...new Set(parsed.data.orgs ?? configured)] : [];
  for (const name of wanted) {
    if (!configured.includes(name))
      problems.push(`orgs: "${name}" is not configured (configured: ${configured.join(', ')})`);
  }
  problems.push(...unknownRuleProblems(input, deps.checkRuleIds));
  if (!parsed.success || problems.length > 0) {
    throw new ConfigError(
      'Invalid state machine input (expected {"orgs"?: [names], "dryRun"?: boolean, "rules"?: [ids]})',
      problems,
    );
  }
  const { dryRun, rules } = parsed.data;
  const runId = deps.newScanId();
  return { runs: wanted.map((org) => ({ run: { org, runId, dryRun, ...(rules && { rules }) } })) };
}
