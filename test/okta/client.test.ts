import { createPrivateKey } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { FakeOkta } from '../../fake-okta/types';
import { CredentialsError } from '../../lambda/errors';
import { createOktaClient, READ_SCOPES } from '../../lambda/okta/client';
import { collectInventory } from '../../lambda/okta/collect-inventory';
import type { OktaConnection } from '../../lambda/okta/connection';
import { serviceAppKey } from '../support/service-app-keys';
import { ALL_SCOPES, COLLECT, GOOD_TOKEN, smallOrg, sswsClient, startOrg } from './fixtures';

const CLIENT_ID = '0oaserviceapp0000001';
const key = serviceAppKey('trusted');
const otherKey = serviceAppKey('stranger');

function keyClient(okta: FakeOkta, auth: Partial<Extract<OktaConnection['auth'], { kind: 'privateKey' }>> = {}) {
  return createOktaClient(
    {
      orgUrl: okta.url,
      auth: { kind: 'privateKey', clientId: CLIENT_ID, privateKey: key.privateKeyPem, keyId: key.kid, ...auth },
    },
    { sleep: async () => {}, requestTimeoutMs: 2_000 },
  );
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

describe('SSWS API token', () => {
  let okta: FakeOkta;
  beforeAll(async () => {
    okta = await startOrg();
  });
  afterAll(() => okta.close());

  it('reads the org with the SSWS scheme', async () => {
    okta.resetRequests();
    const inventory = await collectInventory(sswsClient(okta), COLLECT);
    expect(inventory.sources.apiTokens.status).toBe('complete');
    expect(new Set(okta.requests.map((r) => r.auth))).toEqual(new Set(['SSWS']));
  });

  it('stops with one CredentialsError before any other request when Okta rejects the token', async () => {
    okta.resetRequests();
    const error = await rejection(collectInventory(sswsClient(okta, {}, 'wrong-token-value'), COLLECT));
    expect(error).toBeInstanceOf(CredentialsError);
    expect(error.message).toMatch(/^Okta rejected the API token \(401 E0000011 Invalid token provided\)/);
    expect(error.message).not.toContain('wrong-token-value');
    expect(okta.requests).toHaveLength(1);
  });

  it('counts requests in client.stats', async () => {
    const client = sswsClient(okta);
    await collectInventory(client, { ...COLLECT, sources: ['apiTokens', 'agentPools'] });
    expect(client.stats).toEqual({ requests: 2, throttled: 0, retries: 0 });
  });
});

describe('OAuth service app with a private key', () => {
  let okta: FakeOkta;
  beforeAll(async () => {
    okta = await startOrg(smallOrg(), {
      credentials: { serviceApps: [{ clientId: CLIENT_ID, publicJwk: key.publicJwk, scopes: ALL_SCOPES }] },
    });
  });
  afterAll(() => okta.close());

  it('signs in once at the token endpoint, then reads everything with the access token', async () => {
    okta.resetRequests();
    const inventory = await collectInventory(keyClient(okta), COLLECT);
    expect(Object.values(inventory.sources).every((s) => s.status === 'complete')).toBe(true);
    expect(okta.requests[0]).toMatchObject({ method: 'POST', path: '/oauth2/v1/token', status: 200 });
    expect(okta.requests.filter((r) => r.path === '/oauth2/v1/token')).toHaveLength(1);
    expect(okta.requests.slice(1).every((r) => r.auth === 'Bearer')).toBe(true);
  });

  it('accepts the private key as a JWK string', async () => {
    const jwk = { ...createPrivateKey(key.privateKeyPem).export({ format: 'jwk' }), kid: key.kid };
    const inventory = await collectInventory(keyClient(okta, { privateKey: JSON.stringify(jwk), keyId: undefined }), {
      ...COLLECT,
      sources: ['apiTokens'],
    });
    expect(inventory.apiTokens).toHaveLength(4);
  });

  it('asks only for the read-only scopes its sources need', () => {
    expect(READ_SCOPES).toEqual([...ALL_SCOPES].sort());
    expect(READ_SCOPES.every((s) => s.endsWith('.read'))).toBe(true);
  });

  it("reports a key Okta does not know as the service app's key or client id, not as a 401 on the API", async () => {
    okta.resetRequests();
    const error = await rejection(
      collectInventory(keyClient(okta, { privateKey: otherKey.privateKeyPem, keyId: undefined }), COLLECT),
    );
    expect(error).toBeInstanceOf(CredentialsError);
    expect(error.message).toMatch(/^Okta rejected the service app's private key or client id \(401 invalid_client/);
    expect(error.message).not.toContain('PRIVATE KEY');
    expect(okta.requests.map((r) => r.path)).toEqual(['/oauth2/v1/token']);
    expect(okta.requests.some((r) => r.path.startsWith('/api/'))).toBe(false);
  });

  it('reports an unknown client id the same way', async () => {
    const error = await rejection(collectInventory(keyClient(okta, { clientId: '0oanotthere000000000' }), COLLECT));
    expect(error).toBeInstanceOf(CredentialsError);
    expect(error.message).toMatch(/private key or client id/);
  });
});

describe('a service app not granted every scope', () => {
  it('stops with a CredentialsError that says the scopes were refused', async () => {
    const okta = await startOrg(smallOrg(), {
      credentials: {
        serviceApps: [{ clientId: CLIENT_ID, publicJwk: key.publicJwk, scopes: ['okta.apiTokens.read'] }],
      },
    });
    try {
      const error = await rejection(collectInventory(keyClient(okta), COLLECT));
      expect(error).toBeInstanceOf(CredentialsError);
      expect(error.message).toMatch(/refused the read-only scopes .*invalid_scope/);
    } finally {
      await okta.close();
    }
  });
});

describe('an org URL that cannot be reached', () => {
  it('names the host when nothing listens there', async () => {
    const port = await new Promise<number>((resolve) => {
      const server = createServer();
      server.listen(0, '127.0.0.1', () => {
        const { port } = server.address() as { port: number };
        server.close(() => resolve(port));
      });
    });
    const client = createOktaClient(
      { orgUrl: `http://127.0.0.1:${port}`, auth: { kind: 'token', token: GOOD_TOKEN } },
      { sleep: async () => {} },
    );
    const error = await rejection(collectInventory(client, COLLECT));
    expect(error).toBeInstanceOf(CredentialsError);
    expect(error.message).toBe(
      `Could not reach the Okta org at 127.0.0.1:${port} (connection refused): check the org URL`,
    );
    expect(client.stats.requests).toBe(1);
  });

  it('names the host when its name does not resolve', async () => {
    const client = createOktaClient(
      { orgUrl: 'https://no-such-org.invalid', auth: { kind: 'token', token: GOOD_TOKEN } },
      { sleep: async () => {} },
    );
    const error = await rejection(collectInventory(client, COLLECT));
    expect(error).toBeInstanceOf(CredentialsError);
    expect(error.message).toMatch(/^Could not reach the Okta org at no-such-org\.invalid \(/);
    expect(error.message).not.toContain(GOOD_TOKEN);
  });
});

describe('SDK configuration from the machine', () => {
  const saved = { ...process.env };
  let home: string | null = null;
  afterEach(() => {
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
    if (home) rmSync(home, { recursive: true, force: true });
    home = null;
  });

  it('ignores OKTA_CLIENT_* variables: the connection given wins', async () => {
    const okta = await startOrg();
    try {
      process.env.OKTA_CLIENT_AUTHORIZATIONMODE = 'PrivateKey';
      process.env.OKTA_CLIENT_ORGURL = 'http://127.0.0.1:9';
      process.env.OKTA_CLIENT_TOKEN = 'leaked-env-token';
      process.env.OKTA_CLIENT_CLIENTID = '0oaleaked';
      process.env.OKTA_CLIENT_SCOPES = 'okta.users.manage';
      process.env.OKTA_CLIENT_PRIVATEKEY = 'not-a-key';
      const client = sswsClient(okta);
      const inventory = await collectInventory(client, { ...COLLECT, sources: ['apiTokens'] });
      expect(inventory.sources.apiTokens.status).toBe('complete');
      expect(client.sdk.authorizationMode).toBe('SSWS');
      expect(client.sdk.apiToken).toBe(GOOD_TOKEN);
    } finally {
      await okta.close();
    }
  });

  it('ignores OKTA_CLIENT_KEYID when the connection gives no key id', () => {
    process.env.OKTA_CLIENT_KEYID = 'leaked-kid';
    const client = createOktaClient({
      orgUrl: 'https://acme.okta.com',
      auth: { kind: 'privateKey', clientId: CLIENT_ID, privateKey: key.privateKeyPem },
    });
    expect((client.sdk as unknown as { keyId: string }).keyId).toBe('');
  });

  it('ignores ~/.okta/okta.yaml', async () => {
    home = mkdtempSync(join(tmpdir(), 'okta-home-'));
    mkdirSync(join(home, '.okta'));
    writeFileSync(
      join(home, '.okta', 'okta.yaml'),
      'okta:\n  client:\n    orgUrl: "http://127.0.0.1:9"\n    authorizationMode: PrivateKey\n    token: yaml-token\n',
    );
    process.env.HOME = home;
    const okta = await startOrg();
    try {
      const client = sswsClient(okta);
      const inventory = await collectInventory(client, { ...COLLECT, sources: ['apiTokens'] });
      expect(inventory.sources.apiTokens.status).toBe('complete');
      expect(client.sdk.baseUrl).toBe(okta.url);
    } finally {
      await okta.close();
    }
  });
});
