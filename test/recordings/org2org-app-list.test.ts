// Issue 18: a real org's app list (170 apps, five of them Org2Org) and its recorded Org2Org
// provisioning connection, served by the fake Okta server and read by the real collector
// through the SDK. Only the Org2Org app that pushes users may be told it does not push
// deactivations; Org2Org used for sign-in or import only gets no verdict from push rules.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOkta } from '../../fake-okta/server';
import type { FakeOkta, FakeOrgFixture, Json } from '../../fake-okta/types';
import { DEFAULT_CONFIG } from '../../lambda/config';
import type { Report, Verdict } from '../../lambda/domain/finding';
import { scan } from '../../lambda/scan';

const RECORDINGS = join(__dirname, '../data/okta-recordings');
const APP_LIST = 'apps/TestAccResourceOktaAppSignOnPolicyRule_AUTH_METHOD_CHAIN--1.json';
const CONNECTION = 'app-connections/TestAccDataSourceOktaAppConnection_read--1.json';
const TOKEN = 'recorded-org-token-0123456789';
const AS_OF = '2026-11-27T02:00:00.000Z';

interface Recording {
  request: { method: string; path: string; query: string };
  response: { status: number; body: unknown };
}

function recording(file: string): Recording {
  return JSON.parse(readFileSync(join(RECORDINGS, file), 'utf8')) as Recording;
}

/** The recorded org: its app list, and the one recorded connection on the app it was read from. */
function recordedOrg(): FakeOrgFixture {
  const connection = recording(CONNECTION);
  const connectionAppId = connection.request.path.split('/')[4];
  const { _links: _, ...connectionBody } = connection.response.body as Json;
  const apps = (recording(APP_LIST).response.body as Json[]).map((app) => {
    const { _links, ...rest } = app;
    return app.id === connectionAppId ? { app: rest, connection: connectionBody } : { app: rest };
  });
  return { asOf: AS_OF, users: [], groups: [], roleAssignments: [], apiTokens: [], agentPools: [], apps, logs: [] };
}

const O2O = {
  sso: '0oaq3c5427C4YYPgA1d7', // "Okta Org2Org": SAML, features []
  oidc: '0oaqbf3tn6BH5HS3n1d7', // "Okta Org2Org (2)": OIDC, features []
  importOnly: '0oarbl93dtmzq0jjl1d7', // "Okta Org2Org (3)": IMPORT_* and GROUP_PUSH only
  tokenConnection: '0oarblaf7hWdLawNg1d7', // "Okta Org2Org (4)": features [], the recorded TOKEN connection
  pushes: '0oardqt3r8Cet4BEh1d7', // "Okta Org2Org (5)": PUSH_NEW_USERS, PUSH_PROFILE_UPDATES, no deactivation
} as const;

type Expected = Record<keyof typeof O2O, Verdict | null>;

// null: the rule is not about that app, so it says nothing (no row, not PASS).
const EXPECTED: Record<string, Expected> = {
  'provisioning-deactivation-disabled': {
    sso: null,
    oidc: null,
    importOnly: null,
    tokenConnection: null,
    pushes: 'FAIL',
  },
  // Only (4)'s connection was recorded: the fake answers 404 for the others, as Okta does for
  // apps without a connection endpoint.
  'provisioning-connection-disabled': { sso: null, oidc: null, importOnly: null, tokenConnection: null, pushes: null },
  // The connection's token serves imports as well as pushes: every Org2Org app that provisions
  // either way, or whose connection is enabled, is judged.
  'org2org-token-auth': { sso: null, oidc: null, importOnly: 'UNKNOWN', tokenConnection: 'FAIL', pushes: 'UNKNOWN' },
  // The org's System Log was not recorded: nobody authorized a connection within the window.
  'provisioning-authorized-by-human': {
    sso: null,
    oidc: null,
    importOnly: 'UNKNOWN',
    tokenConnection: 'UNKNOWN',
    pushes: 'UNKNOWN',
  },
  'provisioning-auth-failing': { sso: null, oidc: null, importOnly: 'PASS', tokenConnection: 'PASS', pushes: 'PASS' },
  'provisioning-deactivation-not-pushed': {
    sso: null,
    oidc: null,
    importOnly: null,
    tokenConnection: null,
    pushes: 'PASS',
  },
};

function verdictsOf(report: Report, ruleId: string): Expected {
  const entries = Object.entries(O2O).map(([key, appId]) => {
    const found = report.findings.filter(
      (f) => f.ruleId === ruleId && (f.resource.id === appId || f.resource.id.startsWith(`${appId}/`)),
    );
    expect(found.length, `${ruleId} on ${key}`).toBeLessThanOrEqual(1);
    return [key, found[0]?.status ?? null];
  });
  return Object.fromEntries(entries) as Expected;
}

describe('a real org app list with five Org2Org apps (issue 18)', () => {
  let okta: FakeOkta;
  let report: Report;

  beforeAll(async () => {
    okta = await startFakeOkta({ org: recordedOrg(), credentials: { apiTokens: [{ token: TOKEN }] } });
    const connection = { orgUrl: okta.url, auth: { kind: 'token' as const, token: TOKEN } };
    ({ report } = await scan({ connection, config: DEFAULT_CONFIG, now: new Date(AS_OF) }));
  });
  afterAll(() => okta.close());

  it('reads the whole org: the scan is complete', () => {
    expect(report.errors).toEqual([]);
    expect(report.status).toBe('complete');
  });

  it.each(Object.entries(EXPECTED))('%s judges only the Org2Org apps it is about', (ruleId, expected) => {
    expect(verdictsOf(report, ruleId)).toEqual(expected);
  });

  it('reads the users of no Org2Org app that pushes no users', () => {
    const usersRead = okta.requests.filter((r) => r.path.endsWith('/users')).map((r) => r.path.split('/')[4]);
    expect(usersRead).toContain(O2O.pushes);
    for (const id of [O2O.sso, O2O.oidc, O2O.importOnly, O2O.tokenConnection]) expect(usersRead).not.toContain(id);
  });

  it('reports only Org2Org (5) as provisioning users without pushing deactivations', () => {
    const fails = report.findings.filter(
      (f) => f.ruleId === 'provisioning-deactivation-disabled' && f.status === 'FAIL',
    );
    expect(fails.map((f) => f.resource.name)).toEqual(['Okta Org2Org (5)']);
  });

  it('passes the two non-Org2Org apps that push deactivations', () => {
    const passes = report.findings.filter(
      (f) => f.ruleId === 'provisioning-deactivation-disabled' && f.status === 'PASS',
    );
    expect(passes.map((f) => f.resource.name).sort()).toEqual(['Okta Access Requests', 'Okta Workflows']);
  });
});
