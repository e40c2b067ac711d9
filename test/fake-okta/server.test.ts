import { afterEach, describe, expect, it } from 'vitest';
import { bucketFor } from '../../fake-okta/rate-limits';
import { loadOrg, startFakeOkta } from '../../fake-okta/server';
import type { FakeOkta } from '../../fake-okta/types';
import { serviceAppKey } from '../support/service-app-keys';
import { byLogin, clientAssertion, get, requestToken, startDemo, TEST_TOKEN } from './testing';

let okta: FakeOkta | undefined;
afterEach(async () => {
  await okta?.close();
  okta = undefined;
});

const ERROR_ID = /^oae[\w-]+$/;

describe('authentication and errors in Okta shapes', () => {
  it('answers 401 E0000011 to a request without a token', async () => {
    okta = await startDemo();
    const res = await get(okta, '/api/v1/users', '');
    expect(res.status).toBe(401);
    expect(res.body).toEqual({
      errorCode: 'E0000011',
      errorSummary: 'Invalid token provided',
      errorLink: 'E0000011',
      errorId: expect.stringMatching(ERROR_ID),
      errorCauses: [],
    });
  });

  it('answers 401 to an unknown SSWS token and to a Bearer token it never issued', async () => {
    okta = await startDemo();
    expect((await get(okta, '/api/v1/users', 'SSWS not-a-token')).body.errorCode).toBe('E0000011');
    expect((await get(okta, '/api/v1/users', 'Bearer not-issued')).status).toBe(401);
  });

  it('answers 403 E0000006 when the SSWS token lacks the scope the route needs', async () => {
    okta = await startFakeOkta({
      org: loadOrg('demo'),
      credentials: { apiTokens: [{ token: TEST_TOKEN, scopes: ['okta.users.read'] }] },
    });
    const userId = String(okta.org.users[0].id);
    expect((await get(okta, `/api/v1/users/${userId}`)).status).toBe(200);
    const roles = await get(okta, `/api/v1/users/${userId}/roles`);
    expect(roles.status).toBe(403);
    expect(roles.body).toMatchObject({
      errorCode: 'E0000006',
      errorSummary: 'You do not have permission to perform the requested action',
      errorLink: 'E0000006',
      errorCauses: [],
    });
    for (const path of ['/api/v1/api-tokens', '/api/v1/agentPools', '/api/v1/groups', '/api/v1/apps', '/api/v1/logs']) {
      expect((await get(okta, path)).status, path).toBe(403);
    }
  });

  it('answers 404 E0000007 naming the id for an unknown user', async () => {
    okta = await startDemo();
    const res = await get(okta, '/api/v1/users/00uDoesNotExist00001');
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({
      errorCode: 'E0000007',
      errorSummary: 'Not found: Resource not found: 00uDoesNotExist00001 (User)',
    });
  });

  it('answers 405 to a write on a read-only route and 404 to an unknown route', async () => {
    okta = await startDemo();
    const post = await fetch(`${okta.url}/api/v1/users`, {
      method: 'POST',
      headers: { authorization: `SSWS ${TEST_TOKEN}` },
    });
    expect(post.status).toBe(405);
    expect((await get(okta, '/api/v1/nothing-here')).status).toBe(404);
  });

  it('accepts the access tokens it issued under the Bearer and DPoP schemes, with their scopes only', async () => {
    const key = serviceAppKey('trusted');
    okta = await startFakeOkta({
      org: loadOrg('demo'),
      credentials: { serviceApps: [{ clientId: '0oaSvc', publicJwk: key.publicJwk, scopes: ['okta.users.read'] }] },
    });
    const issued = await requestToken(
      okta,
      clientAssertion(key.privateKeyPem, '0oaSvc', `${okta.url}/oauth2/v1/token`, key.kid),
      'okta.users.read',
    );
    expect(issued.body).toEqual({
      token_type: 'Bearer',
      expires_in: 3600,
      access_token: expect.any(String),
      scope: 'okta.users.read',
    });
    const accessToken = issued.body.access_token as string;
    expect((await get(okta, '/api/v1/users', `Bearer ${accessToken}`)).status).toBe(200);
    expect((await get(okta, '/api/v1/users', `DPoP ${accessToken}`)).status).toBe(200);
    expect((await get(okta, '/api/v1/groups', `Bearer ${accessToken}`)).status).toBe(403);
    expect(okta.requests.map((r) => r.auth)).toEqual(['none', 'Bearer', 'DPoP', 'Bearer']);
  });

  it('refuses a client assertion for another audience or that was already used', async () => {
    const key = serviceAppKey('trusted');
    okta = await startFakeOkta({
      org: loadOrg('demo'),
      credentials: { serviceApps: [{ clientId: '0oaSvc', publicJwk: key.publicJwk, scopes: ['okta.users.read'] }] },
    });
    const wrongAudience = clientAssertion(key.privateKeyPem, '0oaSvc', 'https://acme.okta.com/oauth2/v1/token');
    expect((await requestToken(okta, wrongAudience, 'okta.users.read')).body.error).toBe('invalid_client');
    const good = clientAssertion(key.privateKeyPem, '0oaSvc', `${okta.url}/oauth2/v1/token`);
    expect((await requestToken(okta, good, 'okta.users.read')).status).toBe(200);
    expect((await requestToken(okta, good, 'okta.users.read')).status).toBe(401);
  });
});

describe('headers', () => {
  it('sends JSON, a Date and the three rate-limit headers on every response', async () => {
    okta = await startDemo();
    for (const res of [await get(okta, '/api/v1/users'), await get(okta, '/api/v1/users', '')]) {
      expect(res.headers.get('content-type')).toBe('application/json');
      expect(res.headers.get('date')).toBeTruthy();
      expect(Number(res.headers.get('x-rate-limit-limit'))).toBeGreaterThan(0);
      expect(res.headers.get('x-rate-limit-remaining')).toMatch(/^\d+$/);
      expect(Number(res.headers.get('x-rate-limit-reset'))).toBeGreaterThanOrEqual(Math.floor(Date.now() / 1000));
    }
  });
});

describe('rate limits', () => {
  it('puts each endpoint in the bucket of Okta’s published table', () => {
    expect(bucketFor('GET', '/api/v1/apps')).toBe('apps');
    expect(bucketFor('GET', '/api/v1/apps/0oa1/connections/default')).toBe('apps');
    expect(bucketFor('GET', '/api/v1/logs')).toBe('logs');
    expect(bucketFor('GET', '/api/v1/users')).toBe('usersList');
    expect(bucketFor('GET', '/api/v1/users/00u1')).toBe('userById');
    expect(bucketFor('GET', '/api/v1/users/00u1/roles')).toBe('other');
    expect(bucketFor('GET', '/api/v1/groups/00g1/users')).toBe('groups');
    expect(bucketFor('GET', '/api/v1/api-tokens')).toBe('other');
    expect(bucketFor('POST', '/oauth2/v1/token')).toBe('oauth');
  });

  it('answers 429 E0000047 once a bucket is spent, leaves other buckets alone, and recovers after the window', async () => {
    okta = await startDemo({ rateLimits: { usersList: 2 }, rateLimitWindowMs: 400 });
    const first = await get(okta, '/api/v1/users');
    expect(first.headers.get('x-rate-limit-limit')).toBe('2');
    expect(first.headers.get('x-rate-limit-remaining')).toBe('1');
    expect((await get(okta, '/api/v1/users')).status).toBe(200);
    const limited = await get(okta, '/api/v1/users');
    expect(limited.status).toBe(429);
    expect(limited.body).toMatchObject({
      errorCode: 'E0000047',
      errorSummary: 'API call exceeded rate limit due to too many requests.',
    });
    expect(limited.headers.get('x-rate-limit-remaining')).toBe('0');
    expect(Number(limited.headers.get('x-rate-limit-reset'))).toBeGreaterThanOrEqual(Math.floor(Date.now() / 1000));
    expect((await get(okta, `/api/v1/users/${String(okta.org.users[0].id)}`)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 450));
    expect((await get(okta, '/api/v1/users')).status).toBe(200);
  });

  it('answers 429 to requests beyond the concurrency limit', async () => {
    okta = await startDemo({ concurrencyLimit: 2, latencyMs: 200 });
    const statuses = await Promise.all([1, 2, 3, 4].map(() => get(okta!, '/api/v1/groups').then((r) => r.status)));
    expect(statuses.filter((s) => s === 200)).toHaveLength(2);
    expect(statuses.filter((s) => s === 429)).toHaveLength(2);
  });

  it('adds the configured latency to each request', async () => {
    okta = await startDemo({ latencyMs: 150 });
    const started = Date.now();
    await get(okta, '/api/v1/groups');
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });
});

describe('faults', () => {
  it('answers with the status and an Okta error body', async () => {
    okta = await startDemo();
    okta.fault({ route: '/api/v1/apps', fault: { kind: 'status', status: 500 } });
    const res = await get(okta, '/api/v1/apps');
    expect(res.status).toBe(500);
    expect(res.body).toMatchObject({ errorCode: 'E0000009', errorSummary: 'Internal Server Error' });
    okta.fault({
      route: '/api/v1/logs',
      fault: { kind: 'status', status: 400, errorCode: 'E0000031', errorSummary: 'Invalid search criteria.' },
    });
    expect((await get(okta, '/api/v1/logs')).body).toMatchObject({
      errorCode: 'E0000031',
      errorSummary: 'Invalid search criteria.',
    });
  });

  it('rate limits with a reset header in the past by default, or without one', async () => {
    okta = await startDemo();
    okta.fault({ route: '/api/v1/users', fault: { kind: 'rateLimit', withResetHeader: true }, times: 1 });
    okta.fault({ route: '/api/v1/groups', fault: { kind: 'rateLimit', withResetHeader: false }, times: 1 });
    const withReset = await get(okta, '/api/v1/users');
    expect(withReset.status).toBe(429);
    expect(withReset.body.errorCode).toBe('E0000047');
    expect(Number(withReset.headers.get('x-rate-limit-reset'))).toBeLessThan(Date.now() / 1000);
    const without = await get(okta, '/api/v1/groups');
    expect(without.status).toBe(429);
    expect(without.headers.get('x-rate-limit-reset')).toBeNull();
  });

  it('rate limits with a reset the test chooses', async () => {
    okta = await startDemo();
    okta.fault({
      route: '/api/v1/users',
      fault: { kind: 'rateLimit', withResetHeader: true, resetInSeconds: 30 },
      times: 1,
    });
    const res = await get(okta, '/api/v1/users');
    expect(Number(res.headers.get('x-rate-limit-reset'))).toBeGreaterThan(Date.now() / 1000 + 25);
  });

  it('delays matching requests', async () => {
    okta = await startDemo();
    okta.fault({ route: '/api/v1/groups', fault: { kind: 'delay', ms: 200 }, times: 1 });
    const started = Date.now();
    expect((await get(okta, '/api/v1/groups')).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
  });

  it('sends a truncated JSON body with status 200', async () => {
    okta = await startDemo();
    okta.fault({ route: '/api/v1/groups', fault: { kind: 'malformed' }, times: 1 });
    const res = await get(okta, '/api/v1/groups');
    expect(res.status).toBe(200);
    expect(res.text.length).toBeGreaterThan(0);
    expect(() => JSON.parse(res.text)).toThrow();
  });

  it('drops the connection', async () => {
    okta = await startDemo();
    okta.fault({ route: '/api/v1/groups', fault: { kind: 'drop' }, times: 1 });
    await expect(get(okta, '/api/v1/groups')).rejects.toThrow();
    expect((await get(okta, '/api/v1/groups')).status).toBe(200);
  });

  it('affects only `times` matching requests, by method and RegExp, until cleared', async () => {
    okta = await startDemo();
    okta.fault({ route: /\/roles$/, method: 'GET', fault: { kind: 'status', status: 503 }, times: 2 });
    const roles = `/api/v1/users/${String(okta.org.users[0].id)}/roles`;
    expect((await get(okta, `/api/v1/users/${String(okta.org.users[0].id)}`)).status).toBe(200);
    expect([(await get(okta, roles)).status, (await get(okta, roles)).status, (await get(okta, roles)).status]).toEqual(
      [503, 503, 200],
    );
    okta.fault({ route: '/api/v1/', fault: { kind: 'status', status: 500 } });
    expect((await get(okta, roles)).status).toBe(500);
    okta.clearFaults();
    expect((await get(okta, roles)).status).toBe(200);
  });
});

describe('request log', () => {
  it('records method, path, query, auth kind, bucket and status, and can be reset', async () => {
    okta = await startDemo();
    const alice = byLogin(okta, 'alice.nguyen@acme.com');
    await get(okta, '/api/v1/users?limit=2&search=status%20eq%20%22ACTIVE%22');
    await get(okta, `/api/v1/users/${String(alice.id)}`, 'Bearer nope');
    expect(okta.requests).toEqual([
      {
        method: 'GET',
        path: '/api/v1/users',
        query: { limit: '2', search: 'status eq "ACTIVE"' },
        auth: 'SSWS',
        bucket: 'usersList',
        status: 200,
        at: expect.any(Number),
      },
      expect.objectContaining({
        path: `/api/v1/users/${String(alice.id)}`,
        auth: 'Bearer',
        bucket: 'userById',
        status: 401,
      }),
    ]);
    okta.resetRequests();
    expect(okta.requests).toEqual([]);
  });

  it('serves a fixture the test changed after start', async () => {
    okta = await startDemo();
    okta.org = { ...okta.org, groups: [] };
    expect((await get(okta, '/api/v1/groups')).body).toEqual([]);
  });
});
