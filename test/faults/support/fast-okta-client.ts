import type * as ClientModule from '../../../lambda/okta/client';
import type { OktaClientOptions } from '../../../lambda/okta/client';

// A fault costs milliseconds, not production timings (30 s per request, 1 s and 2 s backoffs):
// the real client with a short timeout and a sleep that only records what it was asked to wait.
// The handler takes these options (createHandler({ oktaClient: fastOktaClient })); the CLI path
// builds its own client, so its files swap them in with a vi.mock factory:
//   vi.mock('../../lambda/okta/client', async (original) =>
//     (await import('./support/fast-okta-client.js')).fastClientModule(await original()));

export const DEFAULT_TEST_TIMEOUT_MS = 1_000;

export const clientTuning = {
  /** Long enough for a loaded CI machine; timeout rows lower it for their scan. */
  requestTimeoutMs: DEFAULT_TEST_TIMEOUT_MS,
  /** Every wait the client asked for, in ms (backoffs and rate-limit windows). */
  waits: [] as number[],
};

/** Client options that read clientTuning when a scan builds its client (a case may lower the timeout). */
export const fastOktaClient: Pick<OktaClientOptions, 'requestTimeoutMs' | 'sleep'> = {
  get requestTimeoutMs() {
    return clientTuning.requestTimeoutMs;
  },
  sleep: async (ms) => {
    clientTuning.waits.push(ms);
  },
};

export function fastClientModule(original: typeof ClientModule): typeof ClientModule {
  return {
    ...original,
    createOktaClient: (connection, options = {}) =>
      original.createOktaClient(connection, {
        requestTimeoutMs: clientTuning.requestTimeoutMs,
        ...options,
        // Recorded whoever asked: a caller's own sleep (the CLI tests' instant one) still runs after.
        sleep: async (ms) => {
          clientTuning.waits.push(ms);
          await options.sleep?.(ms);
        },
      }),
  };
}
