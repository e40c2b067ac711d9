import { Client, DefaultRequestExecutor } from '@okta/okta-sdk-nodejs';
import { afterEach, describe, expect, it } from 'vitest';
import { loadOrg, startFakeOkta } from '../../fake-okta/server';
import type { FakeOkta, FakeOrgFixture } from '../../fake-okta/types';
import { type ServiceAppKey, serviceAppKey } from '../support/service-app-keys';
import { clientAssertion, requestToken, TEST_TOKEN } from './testing';

// The fake server is only useful if the real SDK talks to it as it would to Okta.

const CLIENT_ID = '0oaScannerSvcApp0001';
const SCOPES = ['okta.apiTokens.read', 'okta.users.read'];

function orgWithTokens(count: number): FakeOrgFixture {
  const org = loadOrg('demo');
  const owner = String(org.users[0].id);
  org.apiTokens = Array.from({ length: count }, (_, i) => ({
    id: `00T${String(i).padStart(17, '0')}`,
    name: `token ${i}`,
    userId: owner,
    clientName: 'Okta API',
    created: '2026-01-01T00:00:00.000Z',
    lastUpdated: '2026-11-20T00:00:00.000Z',
    expiresAt: '2026-12-20T00:00:00.000Z',
    tokenWindow: 'P30D',
    network: { connection: 'ANYWHERE' },
  }));
  return org;
}

function sswsClient(okta: FakeOkta, maxRetries?: number): Client {
  return new Client({
    orgUrl: okta.url,
    token: TEST_TOKEN,
    cacheMiddleware: null,
    ...(maxRetries === undefined
      ? {}
      : { requestExecutor: new DefaultRequestExecutor({ maxRetries, requestTimeout: 0 }) }),
  });
}

let okta: FakeOkta | undefined;
afterEach(async () => {
  await okta?.close();
  okta = undefined;
});

describe('paging with the real SDK', () => {
  it('reads all 45 API tokens through Link rel="next" in pages of 20', async () => {
    okta = await startFakeOkta({ org: orgWithTokens(45), credentials: { apiTokens: [{ token: TEST_TOKEN }] } });
    const ids: string[] = [];
    for await (const token of await sswsClient(okta).apiTokenApi.listApiTokens()) {
      if (token) ids.push(String(token.id));
    }
    expect(ids).toHaveLength(45);
    expect(new Set(ids).size).toBe(45);
    expect(okta.requests.map((r) => r.query.limit ?? 'default')).toEqual(['default', '20', '20']);
    expect(okta.requests.every((r) => r.status === 200 && r.auth === 'SSWS')).toBe(true);
  });
});

describe('429 handling with the real SDK', () => {
  it('retries a 429 that carries X-Rate-Limit-Reset and then succeeds', async () => {
    okta = await startFakeOkta({ org: loadOrg('demo'), credentials: { apiTokens: [{ token: TEST_TOKEN }] } });
    okta.fault({ route: '/api/v1/users/', fault: { kind: 'rateLimit', withResetHeader: true }, times: 1 });
    const userId = String(okta.org.users[0].id);
    const user = await sswsClient(okta).userApi.getUser({ userId });
    expect(user.id).toBe(userId);
    expect(okta.requests.map((r) => r.status)).toEqual([429, 200]);
  });

  it('gives up with a 429 error once maxRetries retries were rate limited too', async () => {
    okta = await startFakeOkta({ org: loadOrg('demo'), credentials: { apiTokens: [{ token: TEST_TOKEN }] } });
    okta.fault({ route: '/api/v1/users/', fault: { kind: 'rateLimit', withResetHeader: true } });
    const call = sswsClient(okta, 2).userApi.getUser({ userId: String(okta.org.users[0].id) });
    await expect(call).rejects.toMatchObject({ status: 429, errorCode: 'E0000047' });
    expect(okta.requests.map((r) => r.status)).toEqual([429, 429, 429]);
  });

  it('does not retry a 429 without X-Rate-Limit-Reset', async () => {
    okta = await startFakeOkta({ org: loadOrg('demo'), credentials: { apiTokens: [{ token: TEST_TOKEN }] } });
    okta.fault({ route: '/api/v1/users/', fault: { kind: 'rateLimit', withResetHeader: false }, times: 1 });
    const call = sswsClient(okta).userApi.getUser({ userId: String(okta.org.users[0].id) });
    await expect(call).rejects.toMatchObject({ status: 429 });
    expect(okta.requests).toHaveLength(1);
  });
});

describe('OAuth 2.0 service app (PrivateKey mode) with the real SDK', () => {
  async function startWithServiceApp(): Promise<{ okta: FakeOkta; key: ServiceAppKey }> {
    const key = serviceAppKey('trusted');
    const started = await startFakeOkta({
      org: orgWithTokens(3),
      credentials: { serviceApps: [{ clientId: CLIENT_ID, publicJwk: key.publicJwk, scopes: SCOPES }] },
    });
    return { okta: started, key };
  }

  function oauthClient(url: string, privateKey: string, keyId: string, scopes = SCOPES): Client {
    return new Client({
      orgUrl: url,
      authorizationMode: 'PrivateKey',
      clientId: CLIENT_ID,
      scopes,
      privateKey,
      keyId,
      cacheMiddleware: null,
    });
  }

  it('gets an access token with the app key and reads with it as Bearer', async () => {
    const started = await startWithServiceApp();
    okta = started.okta;
    const names: string[] = [];
    for await (const token of await oauthClient(
      okta.url,
      started.key.privateKeyPem,
      started.key.kid,
    ).apiTokenApi.listApiTokens()) {
      if (token) names.push(token.name);
    }
    expect(names).toHaveLength(3);
    expect(okta.requests.map((r) => `${r.method} ${r.path} ${r.status} ${r.auth}`)).toEqual([
      'POST /oauth2/v1/token 200 none',
      'GET /api/v1/api-tokens 200 Bearer',
    ]);
  });

  it('refuses a client assertion signed with a forged key, and the SDK call fails', async () => {
    const started = await startWithServiceApp();
    okta = started.okta;
    const forged = serviceAppKey('stranger');
    const client = oauthClient(okta.url, forged.privateKeyPem, started.key.kid);
    await expect(client.userApi.getUser({ userId: String(okta.org.users[0].id) })).rejects.toMatchObject({
      status: 401,
    });
    const tokenCalls = okta.requests.filter((r) => r.path === '/oauth2/v1/token');
    expect(tokenCalls.length).toBeGreaterThan(0);
    expect(tokenCalls.every((r) => r.status === 401)).toBe(true);
    expect(okta.requests.filter((r) => r.path.startsWith('/api/')).every((r) => r.status === 401)).toBe(true);
  });

  it('answers invalid_client with an OAuth error body to a forged assertion', async () => {
    const started = await startWithServiceApp();
    okta = started.okta;
    const forged = serviceAppKey('stranger');
    const assertion = clientAssertion(forged.privateKeyPem, CLIENT_ID, `${okta.url}/oauth2/v1/token`, started.key.kid);
    const res = await requestToken(okta, assertion, 'okta.users.read');
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: 'invalid_client', error_description: expect.any(String) });
  });

  it('refuses scopes the app was not granted with invalid_scope', async () => {
    const started = await startWithServiceApp();
    okta = started.okta;
    const client = oauthClient(okta.url, started.key.privateKeyPem, started.key.kid, [...SCOPES, 'okta.logs.read']);
    await expect(client.userApi.getUser({ userId: String(okta.org.users[0].id) })).rejects.toBeDefined();
    expect(okta.requests[0]).toMatchObject({ path: '/oauth2/v1/token', status: 400 });
  });

  it('answers 403 E0000006 when the access token lacks the scope a route needs', async () => {
    const started = await startWithServiceApp();
    okta = started.okta;
    const client = oauthClient(okta.url, started.key.privateKeyPem, started.key.kid, ['okta.apiTokens.read']);
    await expect(client.userApi.getUser({ userId: String(okta.org.users[0].id) })).rejects.toMatchObject({
      status: 403,
      errorCode: 'E0000006',
    });
  });
});
