import type { InvocationContext } from '../lambda/handler';
import { type AslDefinition, allStates, LAMBDA_TIMEOUT_S } from './state-machine-definition';

// Each Task state of the state machine mapped to the Lambda handler, run in this process as one
// invocation: a Lambda context whose remaining time counts down from the function's timeout on
// this process's clock (the virtual one: Okta time), the payload and the result passed through
// JSON as Lambda passes them, an error handed to Step Functions as Lambda hands it (Error: the
// errorType, Cause: Lambda's JSON error). Each invocation is recorded for the report.

export type StepKind = 'plan' | 'collect' | 'finish' | 'failed';

export interface Invocation {
  kind: StepKind;
  /** The org of a collect, finish or failed step. */
  org?: string;
  /** Clock ms (Okta time) at the start, and how long it ran; real ms alongside. */
  startedAt: number;
  durationMs: number;
  realStartedAt: number;
  realMs: number;
  /** The step's answer (Collect: state, waitSeconds), or the error it threw. */
  result?: Record<string, unknown>;
  error?: string;
  /** The answer's size as JSON: Step Functions' state limit is 256 KB. */
  resultBytes: number;
}

export type Handler = (event: unknown, context?: InvocationContext) => Promise<unknown>;

function lambdaError(error: unknown): Error {
  const errorType = (error as { name?: unknown })?.name;
  const type = typeof errorType === 'string' ? errorType : 'Error';
  const message = error instanceof Error ? error.message : String(error);
  const failure = new Error(JSON.stringify({ errorType: type, errorMessage: message, trace: [] }));
  failure.name = type;
  return failure;
}

/** Task state name → local handler, for aws-local-stepfunctions' taskResourceLocalHandlers. */
export function taskHandlers(
  definition: AslDefinition,
  handler: Handler,
  onInvocation: (invocation: Invocation) => void,
): Record<string, (input: unknown) => Promise<unknown>> {
  const invoke = async (input: unknown): Promise<unknown> => {
    const payload = JSON.parse(JSON.stringify(input)) as { orchestration?: StepKind; run?: { org?: string } };
    const startedAt = Date.now();
    const realStartedAt = performance.now();
    const context: InvocationContext = {
      getRemainingTimeInMillis: () => LAMBDA_TIMEOUT_S * 1000 - (Date.now() - startedAt),
    };
    const record = (fields: Pick<Invocation, 'result' | 'error' | 'resultBytes'>): void =>
      onInvocation({
        kind: payload.orchestration ?? 'plan',
        org: payload.run?.org,
        startedAt,
        durationMs: Date.now() - startedAt,
        realStartedAt,
        realMs: performance.now() - realStartedAt,
        ...fields,
      });
    let answer: string;
    try {
      answer = JSON.stringify((await handler(payload, context)) ?? null);
    } catch (error) {
      const failure = lambdaError(error);
      record({ error: failure.message, resultBytes: 0 });
      throw failure;
    }
    const result = JSON.parse(answer) as Record<string, unknown>;
    record({ result, resultBytes: Buffer.byteLength(answer) });
    return result;
  };
  const tasks = Object.entries(allStates(definition)).filter(([, state]) => state.Type === 'Task');
  return Object.fromEntries(tasks.map(([name]) => [name, invoke]));
}
