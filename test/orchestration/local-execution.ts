import { type RunOptions, StateMachine } from 'aws-local-stepfunctions';

// Runs an Amazon States Language definition with aws-local-stepfunctions, each Task state mapped
// to a local function by state name, and keeps the execution's event log (states entered, exited,
// failed, retried, caught; a Map's iterations carry their item's index).

// aws-local-stepfunctions 3 targets Node 22 and calls Promise.withResolvers (Node 22+) for every
// Task state's timeout; Node 20 lacks it.
const promiseStatics = Promise as unknown as { withResolvers?: unknown };
promiseStatics.withResolvers ??= function withResolvers<T>(this: PromiseConstructor) {
  let resolve!: (value: T) => void;
  let reject!: (reason?: unknown) => void;
  const promise = new this<T>((ok, fail) => {
    resolve = ok;
    reject = fail;
  });
  return { promise, resolve, reject };
};

export type ExecutionEvent = ReturnType<StateMachine['run']>['eventLogs'] extends AsyncGenerator<infer E> ? E : never;

type JsonValue = Parameters<StateMachine['run']>[0];
export type TaskHandler = (input: JsonValue) => Promise<JsonValue>;

/**
 * A function error as Step Functions reports a Lambda task's: `Error` is Lambda's errorType and
 * `Cause` its JSON `{"errorType","errorMessage"}` (what a Catch puts at its ResultPath).
 * https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html
 */
export class LambdaFunctionError extends Error {
  constructor(
    readonly errorType: string,
    readonly errorMessage: string,
  ) {
    super(JSON.stringify({ errorType, errorMessage }));
    // The interpreter matches Retry/Catch on `name` and reports it as `Error`; `message` is the Cause.
    this.name = errorType;
  }
}

export interface LocalExecution {
  /** The execution's output; undefined when it failed. */
  output: unknown;
  /** Why the execution failed; undefined when it succeeded. */
  failure?: { Error: string; Cause: string };
  events: ExecutionEvent[];
}

export interface LocalExecutionOptions {
  tasks: Record<string, TaskHandler>;
  /** Pause before a Retry, per state, in ms (the definition's IntervalSeconds where not given). */
  retryIntervals?: Record<string, number>;
}

/** Runs the definition once on `input` and waits for it to end. */
export async function runLocally(
  definition: Record<string, unknown>,
  input: Record<string, unknown>,
  options: LocalExecutionOptions,
): Promise<LocalExecution> {
  const machine = new StateMachine(definition as unknown as ConstructorParameters<typeof StateMachine>[0]);
  const runOptions: RunOptions = {
    overrides: { taskResourceLocalHandlers: options.tasks, retryIntervalOverrides: options.retryIntervals },
  };
  const execution = machine.run(input as JsonValue, runOptions);
  const events: ExecutionEvent[] = [];
  const draining = (async () => {
    for await (const event of execution.eventLogs) events.push(event);
  })();
  try {
    const output = await execution.result;
    await draining;
    return { output, events };
  } catch (error) {
    await draining;
    const failed = events.find((e) => e.type === 'ExecutionFailed') as { Error?: string; Cause?: string } | undefined;
    if (!failed) throw error;
    return { output: undefined, failure: { Error: failed.Error ?? '', Cause: String(failed.Cause ?? '') }, events };
  }
}

/** The names of the states entered, in order; for a Map's iterations, only those of item `index`. */
export function statesEntered(events: readonly ExecutionEvent[], index?: number): string[] {
  return events
    .filter((e) => e.type === 'StateEntered')
    .filter((e) => index === undefined || (e as { index?: number }).index === index)
    .map((e) => (e as { state: { name: string } }).state.name);
}
