import { type RunningInvocation, startBuiltInvocation } from '../bundle/built-lambda';
import { LambdaFunctionError, type TaskHandler } from './local-execution';

// The state machine's Task states as Lambda runs them: each invocation is the built handler in a
// fresh node process (a cold start) given the Task's payload, with a context whose remaining time
// the test sets. A handler that throws, or a process that dies, fails the Task the way Lambda
// fails it, so the definition's Retry and Catch apply.

/** The Task states of lib/scan-state-machine.ts; each calls the scanner function. */
export const TASK_STATES = ['Plan', 'Collect', 'Finish', 'RecordFailure'] as const;
export type TaskState = (typeof TASK_STATES)[number];

export interface TaskInvocation {
  state: TaskState;
  payload: unknown;
  /** What the handler returned; undefined when it failed. */
  result?: Record<string, unknown>;
  /** Lambda's errorType and errorMessage, when it failed. */
  error?: { errorType: string; errorMessage: string };
  /** When the invocation started (epoch ms) and how long it ran. */
  startedAt: number;
  durationMs: number;
}

export interface BuiltLambdaTasksOptions {
  /** The built handler (the asset's index.js). */
  bundle: string;
  /** The function's environment, resolved to loopback endpoints. */
  env: Record<string, string>;
  /** The remaining time an invocation of this state starts with, once its handler is called (default: Lambda's 15 minutes). */
  remainingMs?: (state: TaskState) => number | undefined;
  /** Called once each invocation's process runs (a test may kill it). */
  onStart?: (state: TaskState, running: RunningInvocation) => void;
  /** Awaited after each invocation ends, before the state machine sees its outcome. */
  afterInvocation?: (invocation: TaskInvocation) => Promise<void>;
  /** Collect invocations beyond this fail at once: a run that makes no progress ends. */
  maxCollectSteps?: number;
}

export interface BuiltLambdaTasks {
  tasks: Record<TaskState, TaskHandler>;
  /** Every invocation so far, in the order they ended. */
  invocations: TaskInvocation[];
}

/** What Lambda reports when the runtime process died (killed, out of memory) during an invocation. */
function exitError(signal: unknown): LambdaFunctionError {
  const how = typeof signal === 'string' && signal ? `signal: ${signal === 'SIGKILL' ? 'killed' : signal}` : 'error';
  return new LambdaFunctionError('Runtime.ExitError', `RequestId: local-invocation Error: Runtime exited with ${how}`);
}

export function builtLambdaTasks(options: BuiltLambdaTasksOptions): BuiltLambdaTasks {
  const invocations: TaskInvocation[] = [];
  const handler =
    (state: TaskState): TaskHandler =>
    async (payload) => {
      if (
        state === 'Collect' &&
        invocations.filter((i) => i.state === 'Collect').length >= (options.maxCollectSteps ?? 100)
      ) {
        throw new LambdaFunctionError('Test.NoProgress', `more than ${options.maxCollectSteps} Collect steps`);
      }
      const started = Date.now();
      const running = startBuiltInvocation(options.bundle, payload, options.env, options.remainingMs?.(state));
      options.onStart?.(state, running);
      const outcome = await running.outcome.catch((died: { signal?: unknown }) => exitError(died.signal));
      const invocation: TaskInvocation = { state, payload, startedAt: started, durationMs: Date.now() - started };
      invocations.push(invocation);
      const failure =
        outcome instanceof LambdaFunctionError
          ? outcome
          : outcome.ok
            ? null
            : new LambdaFunctionError(outcome.errorType ?? 'Error', outcome.message ?? '');
      if (failure) invocation.error = { errorType: failure.errorType, errorMessage: failure.errorMessage };
      else invocation.result = (outcome as { result?: Record<string, unknown> }).result;
      await options.afterInvocation?.(invocation);
      if (failure) throw failure;
      return invocation.result as Awaited<ReturnType<TaskHandler>>;
    };
  const tasks = Object.fromEntries(TASK_STATES.map((state) => [state, handler(state)])) as Record<
    TaskState,
    TaskHandler
  >;
  return { tasks, invocations };
}
