import { createOktaClient, type OktaClient } from '../../lambda/okta/client';
import { type ReplayAnswer, type ReplayServer, startReplay } from './replay-server';

/** The real SDK client, as a scan builds it, pointed at a replay server. The token is a test value. */
export function replayClient(server: ReplayServer): OktaClient {
  return createOktaClient(
    { orgUrl: server.url, auth: { kind: 'token', token: 'replay-test-token' } },
    { maxRetries: 0, sleep: async () => {} },
  );
}

/** Starts a replay of `answers`, runs `read` with a client on it, and stops the replay. */
export async function withReplay<T>(
  answers: readonly ReplayAnswer[],
  read: (client: OktaClient, server: ReplayServer) => Promise<T>,
): Promise<{ result: T; server: ReplayServer }> {
  const server = await startReplay(answers);
  try {
    return { result: await read(replayClient(server), server), server };
  } finally {
    await server.close();
  }
}
