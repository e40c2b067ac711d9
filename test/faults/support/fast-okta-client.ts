import type * as ClientModule from '../../../lambda/okta/client';

// scan() builds its own Okta client with production timings (30 s per request, 1 s and 2 s
// backoffs). The matrix swaps in the same client with a short timeout and a sleep that only
// records what it was asked to wait, so a fault costs milliseconds. Used as a vi.mock factory:
//   vi.mock('../../lambda/okta/client', async (original) =>
//     (await import('./support/fast-okta-client.js')).fastClientModule(await original()));

export const DEFAULT_TEST_TIMEOUT_MS = 1_000;

export const clientTuning = {
  /** Long enough for a loaded CI machine; timeout rows lower it for their scan. */
  requestTimeoutMs: DEFAULT_TEST_TIMEOUT_MS,
  /** Every wait the client asked for, in ms (backoffs and rate-limit windows). */
  waits: [] as number[],
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
