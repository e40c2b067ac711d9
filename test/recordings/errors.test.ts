import { describe, expect, it } from 'vitest';
import { credentialsProblem, describeOktaError, isFeatureUnavailable } from '../../lambda/okta/describe-okta-error';
import { type Json, recordingsOf } from './recordings';
import { replayClient } from './replay-client';
import { startReplay } from './replay-server';

// Every recorded Okta error, answered through the real SDK client, is described in one sentence
// that names its status and error code; none is mistaken for bad credentials except a real 401.

describe('errors recordings through describeOktaError', () => {
  it.each(recordingsOf('errors').map((r) => [r.file, r] as const))('%s', async (_file, recording) => {
    const body = recording.response.body as Json;
    const { status } = recording.response;
    const server = await startReplay([{ path: recording.request.path, status, body }]);
    let error: unknown;
    const client = replayClient(server);
    try {
      // The SDK types its request as node-fetch's RequestInit, whose types this project does not install.
      const request = { method: recording.request.method } as never;
      await client.sdk.http.http(`${server.url}${recording.request.path}`, request);
    } catch (caught) {
      error = caught;
    } finally {
      await server.close();
    }
    const sentence = describeOktaError(error);
    expect(sentence).toContain(`${status} ${String(body.errorCode)}`);
    expect(sentence).toContain(String(body.errorSummary).replace(/\.$/, ''));
    // 401 E0000015 comes with valid credentials: the org lacks the feature.
    const featureMissing = status === 401 && body.errorCode === 'E0000015';
    expect(isFeatureUnavailable(error)).toBe(featureMissing);
    if (featureMissing) {
      expect(sentence).toContain('this org does not have the feature');
      expect(credentialsProblem(error, client)).toBeNull();
    }
  });
});
