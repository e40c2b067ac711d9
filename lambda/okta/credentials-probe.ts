import type { EventEmitter } from 'node:events';
import type { OktaClient } from './client';
import { credentialsProblem } from './describe-okta-error';

// A scan's first read doubles as the credentials check: until Okta first answers an API request
// with success, an error that shows the credentials or the org URL are wrong stops the whole
// scan with one CredentialsError. Once the credentials are known to work, errors belong to the
// source that met them.

/**
 * Resolves at the first 2xx answer to an API request (not the OAuth token request): from then on
 * the credentials and org URL are known to work, and the rest of the first source need not be
 * waited for. Never resolves without a request executor that reports responses.
 */
function firstApiSuccess(client: OktaClient): { answered: Promise<void>; stop: () => void } {
  const executor = client.sdk.requestExecutor as Partial<EventEmitter> | undefined;
  if (typeof executor?.on !== 'function' || typeof executor.off !== 'function') {
    return { answered: new Promise<void>(() => {}), stop: () => {} };
  }
  let listener: (response: { status?: number; url?: string }) => void = () => {};
  const answered = new Promise<void>((resolve) => {
    listener = (response) => {
      const status = response.status ?? 0;
      if (status >= 200 && status < 300 && !String(response.url ?? '').includes('/oauth2/')) resolve();
    };
  });
  executor.on('response', listener);
  return { answered, stop: () => executor.off?.('response', listener) };
}

export class CredentialsProbe {
  private probing = true;

  constructor(private readonly client: OktaClient) {}

  /** True until the first read has shown the credentials work (or ended). */
  get active(): boolean {
    return this.probing;
  }

  /** While probing, throws the CredentialsError that `error` shows, if it shows one. */
  check(error: unknown): void {
    if (!this.probing) return;
    const problem = credentialsProblem(error, this.client);
    if (problem) throw problem;
  }

  /** Waits for the first read until Okta first answers an API request with success, or the read ends. */
  async waitFor(firstRead: Promise<void>): Promise<void> {
    const probe = firstApiSuccess(this.client);
    try {
      await Promise.race([firstRead, probe.answered]);
    } finally {
      probe.stop();
    }
    this.probing = false;
  }

  end(): void {
    this.probing = false;
  }
}
