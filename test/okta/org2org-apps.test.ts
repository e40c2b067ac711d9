// Issue 18: Org2Org apps are listed whatever their features, but only those Okta pushes users
// to have their users read; the "Create Users" toggle counts as pushing when the list says nothing.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeOkta, Json } from '../../fake-okta/types';
import type { ProvisioningApp } from '../../lambda/domain/inventory';
import { listProvisioningApps, readProvisioning } from '../../lambda/okta/collectors/apps';
import { appUser, IDS, smallOrg, sswsClient, startOrg } from './fixtures';

const SIGN_IN_ONLY = '0oao2osignin00000011';
const CREATES_USERS = '0oao2ocreate00000012';

/** The recorded USER_PROVISIONING feature with "Create Users" ENABLED (from a real org). */
function recordedUserProvisioning(): Json {
  const file = join(__dirname, '../data/okta-recordings/app-features/TestAccOktaAppFeatures_basic--1.json');
  const { _links: _, ...feature } = (JSON.parse(readFileSync(file, 'utf8')) as { response: { body: Json } }).response
    .body;
  return feature;
}

const org2org = (id: string, label: string): Json => ({
  id,
  name: 'okta_org2org',
  label,
  status: 'ACTIVE',
  signOnMode: 'SAML_2_0',
  features: [],
});

describe('Org2Org apps that push no users', () => {
  let okta: FakeOkta;
  let apps: ProvisioningApp[];

  beforeAll(async () => {
    const org = smallOrg();
    org.apps.push(
      { app: org2org(SIGN_IN_ONLY, 'Partner portal (sign-in)'), users: [appUser(IDS.bob, 'ERROR', 'bob@partner')] },
      {
        app: org2org(CREATES_USERS, 'Hub (create only)'),
        features: [recordedUserProvisioning()],
        users: [appUser(IDS.bob, 'ERROR', 'bob@hub')],
      },
    );
    okta = await startOrg(org);
    const client = sswsClient(okta);
    apps = await listProvisioningApps(client);
    await readProvisioning(client, apps);
  });
  afterAll(() => okta.close());

  const app = (id: string): ProvisioningApp => apps.find((a) => a.id === id)!;

  it('lists an Org2Org app used for sign-in only, so its connection can be judged', () => {
    expect(app(SIGN_IN_ONLY)).toMatchObject({ features: [], featuresAvailable: false, userProvisioning: null });
  });

  it('does not read the users of an Org2Org app Okta pushes no users to', () => {
    expect(app(SIGN_IN_ONLY).usersInError).toBeNull();
    expect(okta.requests.some((r) => r.path === `/api/v1/apps/${SIGN_IN_ONLY}/users`)).toBe(false);
  });

  it('reads the "Create Users" toggle and the users of an app that creates users without a PUSH_* feature', () => {
    expect(app(CREATES_USERS).userProvisioning).toEqual({
      status: 'ENABLED',
      lifecycleCreate: 'ENABLED',
      lifecycleDeactivate: 'ENABLED',
    });
    expect(app(CREATES_USERS).usersInError?.map((u) => u.userId)).toEqual([IDS.bob]);
  });
});
