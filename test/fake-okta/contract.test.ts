import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadOrg, startFakeOkta } from '../../fake-okta/server';
import type { FakeOkta } from '../../fake-okta/types';
import { DEFAULT_SPEC_PATH, loadSpec, SchemaValidator } from './openapi-validator';
import { get, TEST_TOKEN } from './testing';

// Every endpoint the fake serves, and every object of the demo org, checked against Okta's
// OpenAPI description (the one @okta/okta-sdk-nodejs 8.1.0 was generated from).

/**
 * Where the spec and the live API disagree (docs/okta-facts.md#the-spec-and-the-live-api): tolerated,
 * and each must still occur.
 */
const KNOWN_QUIRKS: { pattern: RegExp; why: string }[] = [
  {
    pattern: /\._links: not a property of ApiToken$/,
    why: 'the ApiToken schema says _link; Okta and every example in the spec send _links',
  },
  {
    pattern: /\.settings\.app: not a property of SamlApplicationSettings$/,
    why: 'OIN SAML apps (Org2Org, Slack, Zoom…) carry instance settings in settings.app; the generic SAML schema omits it',
  },
  {
    pattern: /\.profile\.clientId: not a property of ProvisioningConnectionResponseProfile$/,
    why: "Org2Org OAuth 2.0 connections carry profile.clientId, as the spec's own examples show",
  },
  // What real orgs answer and the spec does not allow (test/data/okta-recordings/README.md).
  {
    pattern: /\.latestGAedVersion: not a property of Agent$/,
    why: 'agents carry latestGAedVersion beside isLatestGAedVersion (recorded agent pool updates)',
  },
  {
    pattern: /\._links\.(policies|profileEnrollment|uploadLogo): not a property of ApplicationLinks$/,
    why: 'Identity Engine apps link their policies, profile enrollment and logo upload (recorded apps)',
  },
  {
    pattern: /\.accessibility\.(errorRedirectUrl|loginRedirectUrl): null is not allowed in ApplicationAccessibility$/,
    why: 'real apps send null redirect URLs (recorded apps)',
  },
  {
    pattern: /\.universalLogout: null is not allowed in ApplicationUniversalLogout$/,
    why: 'apps without universal logout send null (recorded apps)',
  },
  {
    pattern: /\.signOnMode: null is not allowed in ApplicationSignOnMode$/,
    why: 'directory apps (active_directory, the AD agent pool) have signOnMode null (recorded app list)',
  },
  {
    pattern: /\.(credentials|name|settings): not a property of Application$/,
    why: 'with signOnMode null no Application subtype applies, so the base schema lacks their name, credentials and settings',
  },
  {
    pattern: /\._links\.delete: not a property of User$/,
    why: 'a single DEPROVISIONED user links its delete operation (recorded users)',
  },
  ...zoneQuirks(),
];

/** Zone gaps, each seen in a zone recorded from a real org (checked below). */
function zoneQuirks(): { pattern: RegExp; why: string }[] {
  return [
    {
      pattern: /\.gateways: null is not allowed in IPNetworkZone$/,
      why: 'an IP zone without gateways (BlockedIpZone) sends "gateways": null',
    },
    {
      pattern: /\.locations\[\d+\]\.region: null is not allowed in NetworkZoneLocation$/,
      why: 'a DYNAMIC zone location for a whole country sends "region": null',
    },
    {
      pattern: /\.proxyType: "" is not one of the enum values of DynamicNetworkZone$/,
      why: 'a DYNAMIC zone without a proxy condition sends "proxyType": ""',
    },
  ];
}

const RECORDED_ZONES = join(__dirname, '../data/okta-recordings/zones');

const SPEC_PATH = process.env.OKTA_OPENAPI_SPEC ?? DEFAULT_SPEC_PATH;
const LOG_WINDOW = `since=${encodeURIComponent('2026-06-01T00:00:00.000Z')}&until=${encodeURIComponent('2026-11-28T00:00:00.000Z')}&limit=1000`;

let okta: FakeOkta;
let validator: SchemaValidator;
const quirksSeen = new Set<RegExp>();

beforeAll(async () => {
  if (!existsSync(SPEC_PATH)) {
    throw new Error(`Okta's OpenAPI description is not at ${SPEC_PATH}: set OKTA_OPENAPI_SPEC to its path`);
  }
  validator = new SchemaValidator(loadSpec(SPEC_PATH));
  okta = await startFakeOkta({
    org: loadOrg('demo'),
    credentials: { apiTokens: [{ token: TEST_TOKEN }, { token: 'users-only', scopes: ['okta.users.read'] }] },
    rateLimits: { groups: 1000 },
  });
});
afterAll(async () => {
  await okta?.close();
});

/** Fetches a path and returns the schema problems of its body that are not known quirks. */
async function problems(pathAndQuery: string, expectedStatus = 200, authorization?: string): Promise<string[]> {
  const res = await get(okta, pathAndQuery, authorization);
  expect(res.status, pathAndQuery).toBe(expectedStatus);
  const path = pathAndQuery.split('?')[0];
  let schema: Record<string, unknown>;
  try {
    schema = validator.responseSchema('GET', path, res.status);
  } catch {
    // Not every operation lists every error status; Okta's errors all share ModelError.
    schema = validator.schemaByName('ModelError');
  }
  return validator.validate(schema, res.body, `GET ${pathAndQuery}`).filter((p) => {
    const quirk = KNOWN_QUIRKS.find((q) => q.pattern.test(p));
    if (quirk) quirksSeen.add(quirk.pattern);
    return !quirk;
  });
}

/** Each walks one part of the API and expects no problem beyond the known quirks. */
const CHECKS: Record<string, () => Promise<void>> = {
  'API tokens, list and one by one': async () => {
    expect(await problems('/api/v1/api-tokens')).toEqual([]);
    for (const t of okta.org.apiTokens) expect(await problems(`/api/v1/api-tokens/${String(t.id)}`)).toEqual([]);
  },
  'agent pools': async () => {
    expect(await problems('/api/v1/agentPools')).toEqual([]);
  },
  'users: list, search, each user, and each user’s roles and groups': async () => {
    expect(await problems('/api/v1/users')).toEqual([]);
    expect(await problems(`/api/v1/users?search=${encodeURIComponent('status eq "DEPROVISIONED"')}`)).toEqual([]);
    for (const u of okta.org.users) {
      const id = String(u.id);
      expect(await problems(`/api/v1/users/${id}`)).toEqual([]);
      expect(await problems(`/api/v1/users/${id}/roles`)).toEqual([]);
      expect(await problems(`/api/v1/users/${id}/groups`)).toEqual([]);
    }
  },
  'groups: list, each group and its members': async () => {
    expect(await problems('/api/v1/groups')).toEqual([]);
    for (const g of okta.org.groups) {
      expect(await problems(`/api/v1/groups/${g.id}`)).toEqual([]);
      expect(await problems(`/api/v1/groups/${g.id}/users`)).toEqual([]);
    }
  },
  'apps: list, each app, its provisioning connection, features and users': async () => {
    expect(await problems('/api/v1/apps')).toEqual([]);
    for (const a of okta.org.apps) {
      const id = String(a.app.id);
      expect(await problems(`/api/v1/apps/${id}`)).toEqual([]);
      expect(await problems(`/api/v1/apps/${id}/connections/default`, a.connection ? 200 : 404)).toEqual([]);
      expect(await problems(`/api/v1/apps/${id}/features`, a.features ? 200 : 400)).toEqual([]);
      expect(await problems(`/api/v1/apps/${id}/users?expand=user`)).toEqual([]);
    }
  },
  'network zones: list and each zone': async () => {
    expect(okta.org.zones?.length).toBeGreaterThan(0);
    expect(await problems('/api/v1/zones')).toEqual([]);
    for (const z of okta.org.zones ?? []) expect(await problems(`/api/v1/zones/${String(z.id)}`)).toEqual([]);
  },
  'every System Log event': async () => {
    const res = await get(okta, `/api/v1/logs?${LOG_WINDOW}`);
    expect(res.body).toHaveLength(okta.org.logs.length);
    expect(await problems(`/api/v1/logs?${LOG_WINDOW}`)).toEqual([]);
  },
  'error bodies: 400, 401, 403, 404 and 429': async () => {
    expect(await problems(`/api/v1/logs?${LOG_WINDOW}&filter=nonsense`, 400)).toEqual([]);
    expect(await problems('/api/v1/users', 401, '')).toEqual([]);
    expect(await problems('/api/v1/apps', 403, 'SSWS users-only')).toEqual([]);
    expect(await problems('/api/v1/users/00uNobody', 404)).toEqual([]);
    okta.fault({ route: '/api/v1/groups', fault: { kind: 'rateLimit', withResetHeader: true }, times: 1 });
    expect(await problems('/api/v1/groups', 429)).toEqual([]);
  },
};

describe('responses match the Okta Management API schema', () => {
  for (const [name, check] of Object.entries(CHECKS)) it(name, check);

  it('tolerates in zones only what zones recorded from real orgs show', () => {
    const recorded = readdirSync(RECORDED_ZONES).flatMap((file) => {
      const { request, response } = JSON.parse(readFileSync(join(RECORDED_ZONES, file), 'utf8'));
      const schema = validator.responseSchema('GET', request.path, response.status);
      return validator.validate(schema, response.body, `GET ${request.path}`);
    });
    const unseen = zoneQuirks().filter((q) => !recorded.some((p) => q.pattern.test(p)));
    expect(unseen.map((q) => q.why)).toEqual([]);
  });

  it('needs every tolerated quirk (remove one that no longer occurs)', async () => {
    // Walks the whole API itself, so it holds whichever tests ran before it, or alone.
    quirksSeen.clear();
    for (const check of Object.values(CHECKS)) await check();
    expect(KNOWN_QUIRKS.filter((q) => !quirksSeen.has(q.pattern)).map((q) => q.why)).toEqual([]);
  });
});
