import type { StepStop } from '../domain/scan-step';
import { StepInterrupted } from '../errors';

// How much of a scan step's invocation the Okta reads may use. Consulted before each request is
// sent and before each rate-limit wait: a step that would run past its deadline, or sleep through
// a long window, stops instead and the orchestration resumes it in a later step.

export interface StepBudgetOptions {
  /** Time left in the invocation (Lambda's getRemainingTimeInMillis). */
  remainingMs: () => number;
  /** Below this, no request is sent: what the step needs to save its progress and return. */
  reserveMs: number;
  /** A rate-limit wait longer than this ends the step (the state machine waits, unbilled). */
  longWaitMs: number;
}

export class StepBudget {
  private stop: StepStop | null = null;
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(private readonly options: StepBudgetOptions) {}

  /** Why the step stopped, or null while it may go on. */
  get stopped(): StepStop | null {
    return this.stop;
  }

  /** Before a request is sent: throws StepInterrupted once stopped or when the time left is short. */
  beforeSend(): void {
    if (!this.stop && this.options.remainingMs() < this.options.reserveMs) this.stop = { reason: 'deadline' };
    if (this.stop) throw new StepInterrupted(this.stop);
  }

  /** Notes a request until it settles: a step must not end while an answer is still on its way. */
  track<T>(request: Promise<T>): Promise<T> {
    this.inFlight.add(request);
    const forget = (): void => {
      this.inFlight.delete(request);
    };
    request.then(forget, forget);
    return request;
  }

  /** Resolves once no request is in flight, so every answer that came has been journaled. */
  async settled(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  /** Before a rate-limit wait: throws StepInterrupted once stopped or when the wait is long. */
  beforeWait(waitMs: number): void {
    if (!this.stop && waitMs > this.options.longWaitMs) this.stop = { reason: 'wait', waitMs: Math.ceil(waitMs) };
    this.beforeSend();
  }
}
