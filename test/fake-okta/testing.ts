import { createSign, randomUUID } from 'node:crypto';
import { loadOrg, startFakeOkta } from '../../fake-okta/server';
import type { FakeOkta, FakeOktaOptions, Json } from '../../fake-okta/types';

// Helpers for the fake server's own tests. The token is a test value, not a secret.

export const TEST_TOKEN = 'fake-ssws-test-token';

export function startDemo(options: Partial<FakeOktaOptions> = {}): Promise<FakeOkta> {
  return startFakeOkta({
    org: loadOrg('demo'),
    credentials: { apiTokens: [{ token: TEST_TOKEN }] },
    ...options,
  });
}

export interface RawResponse {
  status: number;
  headers: Headers;
  text: string;
  // biome-ignore lint/suspicious/noExplicitAny: test bodies are inspected field by field
  body: any;
}

export async function get(
  okta: FakeOkta,
  pathAndQuery: string,
  authorization = `SSWS ${TEST_TOKEN}`,
): Promise<RawResponse> {
  const res = await fetch(`${okta.url}${pathAndQuery}`, { headers: authorization ? { authorization } : {} });
  const text = await res.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: res.status, headers: res.headers, text, body };
}

/** Follows rel="next" links from a first path and returns every item and the number of pages. */
export async function getAllPages(
  okta: FakeOkta,
  firstPath: string,
  maxPages = 50,
): Promise<{ items: Json[]; pages: number }> {
  const items: Json[] = [];
  let url: string | null = `${okta.url}${firstPath}`;
  let pages = 0;
  while (url && pages < maxPages) {
    const res: Response = await fetch(url, { headers: { authorization: `SSWS ${TEST_TOKEN}` } });
    if (res.status !== 200) throw new Error(`${url} answered ${res.status}`);
    items.push(...((await res.json()) as Json[]));
    pages++;
    url = nextLink(res.headers.get('link'));
  }
  return { items, pages };
}

export function nextLink(link: string | null): string | null {
  const m = /<([^>]+)>;\s*rel="next"/.exec(link ?? '');
  return m ? m[1] : null;
}

export function byLogin(okta: { org: { users: Json[] } }, login: string): Json {
  const user = okta.org.users.find((u) => (u.profile as Json).login === login);
  if (!user) throw new Error(`no user ${login} in the fixture`);
  return user;
}

/** A private_key_jwt client assertion, signed with node:crypto as Okta's docs describe. */
export function clientAssertion(privateKeyPem: string, clientId: string, audience: string, kid?: string): string {
  const b64 = (o: Json): string => Buffer.from(JSON.stringify(o)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const unsigned = `${b64({ alg: 'RS256', ...(kid ? { kid } : {}) })}.${b64({
    iss: clientId,
    sub: clientId,
    aud: audience,
    iat: now,
    exp: now + 300,
    jti: randomUUID(),
  })}`;
  return `${unsigned}.${createSign('RSA-SHA256').update(unsigned).sign(privateKeyPem).toString('base64url')}`;
}

export async function requestToken(okta: FakeOkta, assertion: string, scope: string): Promise<RawResponse> {
  const res = await fetch(`${okta.url}/oauth2/v1/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      scope,
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: assertion,
    }),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, body: JSON.parse(text) };
}
