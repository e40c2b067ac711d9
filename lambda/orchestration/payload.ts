import { z } from 'zod';
import { describeIssues } from '../config';
import type { OrgRun } from '../domain/checkpoint';
import { ConfigError } from '../errors';

// The payloads the state machine (lib/scan-state-machine.ts) sends the function, one per step.
// They are internal: a person starts an execution with the state machine input instead, which
// the Plan step checks (plan.ts).

const runSchema = z.strictObject({
  org: z.string().min(1),
  runId: z.string().min(1),
  dryRun: z.boolean(),
  rules: z.array(z.string().min(1)).min(1).optional(),
});

/** The error a Catch hands on: Step Functions' `Error` and `Cause`. */
const stepErrorSchema = z.looseObject({ Error: z.string().optional(), Cause: z.string().optional() });

const orchestrationSchema = z.discriminatedUnion('orchestration', [
  z.strictObject({ orchestration: z.literal('plan'), input: z.unknown() }),
  z.strictObject({ orchestration: z.literal('collect'), run: runSchema }),
  z.strictObject({ orchestration: z.literal('finish'), run: runSchema }),
  z.strictObject({ orchestration: z.literal('failed'), run: runSchema, error: stepErrorSchema }),
]);

export type StepError = z.output<typeof stepErrorSchema>;

export type OrchestrationRequest =
  | { kind: 'orchestration'; mode: 'plan'; input: unknown }
  | { kind: 'orchestration'; mode: 'collect' | 'finish'; run: OrgRun }
  | { kind: 'orchestration'; mode: 'failed'; run: OrgRun; error: StepError };

export function isOrchestrationPayload(event: unknown): boolean {
  return typeof event === 'object' && event !== null && 'orchestration' in event;
}

export function parseOrchestration(event: unknown): OrchestrationRequest {
  const parsed = orchestrationSchema.safeParse(event);
  if (!parsed.success) {
    throw new ConfigError(
      'Invalid state machine step payload (expected {"orchestration":"plan"|"collect"|"finish"|"failed", …} as lib/scan-state-machine.ts sends)',
      describeIssues(parsed.error),
    );
  }
  const step = parsed.data;
  if (step.orchestration === 'plan') return { kind: 'orchestration', mode: 'plan', input: step.input };
  if (step.orchestration === 'failed')
    return { kind: 'orchestration', mode: 'failed', run: step.run, error: step.error };
  return { kind: 'orchestration', mode: step.orchestration, run: step.run };
}
