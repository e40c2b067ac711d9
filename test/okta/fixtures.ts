import { startFakeOkta } from '../../fake-okta/server';
import type { FakeCredentials, FakeOkta, FakeOktaOptions, FakeOrgFixture, Json } from '../../fake-okta/types';
import { createOktaClient, type OktaClient, type OktaClientOptions } from '../../lambda/okta/client';

// A small org built for these tests, so they do not depend on demo.json. Who is who:
//   alice  ACTIVE person, Super Admin only through the "Okta Admins" group; reauthorized a Workflows connection
//   bob    DEPROVISIONED, still owns an API token
//   svc    ACTIVE service account, direct Org Admin; last updated the SCIM app's provisioning
//   carol  ACTIVE, created the Workflows connections
//   dave   ACTIVE, installed the old (3.9.1) AD agent
//   erin   ACTIVE, installed the new (3.18.0) AD agent: not an owner of anything
//   frank  deleted from Okta (404), still named as a token's userId
//   zed    unrelated: must never be read

export const AS_OF = '2026-11-27T02:00:00.000Z';
export const NOW = new Date(AS_OF);
export const GOOD_TOKEN = 'ssws-test-token-0123456789';

export const IDS = {
  alice: '00ualice000000000001',
  bob: '00ubob00000000000002',
  svc: '00usvc00000000000003',
  carol: '00ucarol000000000004',
  dave: '00udave0000000000005',
  erin: '00uerin0000000000006',
  frank: '00ufrank000000000007',
  zed: '00uzed00000000000008',
  admins: '00gadmins00000000001',
  everyone: '00geveryone000000002',
  o2o: '0oao2o00000000000001',
  scim: '0oascim0000000000002',
  saml: '0oasaml0000000000003',
  oldScim: '0oaoldscim0000000004',
  pool: '0oapool0000000000005',
  oldAgent: 'a53agentold000000001',
  newAgent: 'a53agentnew000000002',
} as const;

const daysAgo = (days: number): string => new Date(NOW.getTime() - days * 86_400_000).toISOString();

export function user(id: string, login: string, status = 'ACTIVE', profile: Json = {}): Json {
  const [first, last] = login.split('@')[0].split('.');
  return {
    id,
    status,
    created: '2024-01-10T09:00:00.000Z',
    activated: '2024-01-10T09:00:05.000Z',
    statusChanged: '2024-01-10T09:00:05.000Z',
    lastLogin: null,
    lastUpdated: '2025-06-01T12:00:00.000Z',
    passwordChanged: '2024-01-10T09:00:05.000Z',
    type: { id: 'oty00000000000000001' },
    profile: { login, email: login, firstName: first ?? login, lastName: last ?? 'Test', ...profile },
    credentials: { provider: { type: 'OKTA', name: 'OKTA' } },
  };
}

export function apiToken(id: string, name: string, userId: string, extra: Json = {}): Json {
  return {
    id,
    name,
    userId,
    clientName: 'Okta API',
    tokenWindow: 'P30D',
    network: { connection: 'ANYWHERE' },
    created: '2026-10-01T10:00:00.000Z',
    lastUpdated: '2026-11-20T10:00:00.000Z',
    expiresAt: '2026-12-20T10:00:00.000Z',
    ...extra,
  };
}

export function appUser(id: string, syncState: string, userName: string, status = 'PROVISIONED'): Json {
  return {
    id,
    externalId: `ext-${id}`,
    status,
    syncState,
    scope: 'USER',
    created: '2025-01-01T00:00:00.000Z',
    lastUpdated: '2026-11-01T00:00:00.000Z',
    credentials: { userName },
    profile: {},
  };
}

interface Entity {
  id: string;
  type: string;
  alternateId?: string;
  displayName?: string;
}

const person = (id: string, login: string): Entity => ({ id, type: 'User', alternateId: login, displayName: login });

export function logEvent(
  uuid: string,
  eventType: string,
  published: string,
  actor: Entity,
  target: Entity[],
  result = 'SUCCESS',
): Json {
  return {
    uuid,
    published,
    eventType,
    version: '0',
    severity: result === 'SUCCESS' ? 'INFO' : 'ERROR',
    displayMessage: eventType,
    actor: { alternateId: null, displayName: null, detailEntry: null, ...actor },
    outcome: { result, reason: result === 'SUCCESS' ? null : 'failed in test' },
    target: target.map((t) => ({ alternateId: null, displayName: null, detailEntry: null, ...t })),
    client: { ipAddress: '10.0.0.1' },
    transaction: { type: 'WEB', id: `tx-${uuid}`, detail: {} },
    debugContext: { debugData: {} },
  };
}

const okta = (): Entity => ({ id: '0oaworkflowsokta0001', type: 'AppInstance', displayName: 'Okta' });
const o2oApp = (): Entity => ({ id: IDS.o2o, type: 'AppInstance', displayName: 'Okta Org2Org' });
const scimApp = (): Entity => ({ id: IDS.scim, type: 'AppInstance', displayName: 'Acme SCIM' });

export function smallOrg(): FakeOrgFixture {
  const alice = person(IDS.alice, 'alice@example.com');
  const carol = person(IDS.carol, 'carol@example.com');
  return {
    asOf: AS_OF,
    users: [
      user(IDS.alice, 'alice@example.com', 'ACTIVE', { userType: 'Employee' }),
      user(IDS.bob, 'bob@example.com', 'DEPROVISIONED'),
      user(IDS.svc, 'svc-okta@example.com', 'ACTIVE', { userType: 'Service' }),
      user(IDS.carol, 'carol@example.com'),
      user(IDS.dave, 'dave@example.com'),
      user(IDS.erin, 'erin@example.com'),
      user(IDS.zed, 'zed@example.com'),
    ],
    groups: [
      { id: IDS.admins, profile: { name: 'Okta Admins' }, members: [IDS.alice] },
      { id: IDS.everyone, type: 'BUILT_IN', profile: { name: 'Everyone' }, members: [IDS.alice, IDS.svc, IDS.bob] },
    ],
    roleAssignments: [
      { id: 'ra-group-super', type: 'SUPER_ADMIN', label: 'Super Administrator', groupId: IDS.admins },
      { id: 'ra-svc-org', type: 'ORG_ADMIN', label: 'Organization Administrator', userId: IDS.svc },
    ],
    apiTokens: [
      apiToken('00Talice0000000000001', 'SIEM export', IDS.alice, {
        network: { connection: 'ZONE', include: ['nzo1'], exclude: [] },
      }),
      apiToken('00Tbob00000000000002', 'Old sync', IDS.bob),
      apiToken('00Tsvc00000000000003', 'Terraform', IDS.svc),
      apiToken('00Tfrank000000000004', 'Orphan', IDS.frank, { clientName: 'Okta AD Agent' }),
    ],
    agentPools: [
      {
        id: IDS.pool,
        name: 'corp.example.com',
        type: 'AD',
        operationalStatus: 'OPERATIONAL',
        disruptedAgents: 0,
        inactiveAgents: 0,
        agents: [
          {
            id: IDS.oldAgent,
            name: 'DC-OLD',
            poolId: IDS.pool,
            type: 'AD',
            operationalStatus: 'OPERATIONAL',
            lastConnection: 1_764_201_600_000,
            isHidden: false,
            isLatestGAedVersion: false,
            version: '3.9.1',
          },
          {
            id: IDS.newAgent,
            name: 'DC-NEW',
            poolId: IDS.pool,
            type: 'AD',
            operationalStatus: 'OPERATIONAL',
            lastConnection: 1_764_205_200_000,
            isHidden: false,
            isLatestGAedVersion: true,
            version: '3.18.0',
          },
        ],
      },
    ],
    zones: [
      {
        type: 'IP',
        id: 'nzo1',
        name: 'Office',
        status: 'ACTIVE',
        usage: 'POLICY',
        system: false,
        gateways: [{ type: 'CIDR', value: '198.51.100.0/24' }],
        proxies: null,
      },
    ],
    apps: [
      {
        app: {
          id: IDS.o2o,
          name: 'okta_org2org',
          label: 'Okta Org2Org',
          status: 'ACTIVE',
          signOnMode: 'SAML_2_0',
          features: ['PUSH_NEW_USERS', 'PUSH_USER_DEACTIVATION'],
        },
        connection: {
          authScheme: 'TOKEN',
          status: 'ENABLED',
          baseUrl: 'https://target.okta.com',
          profile: { authScheme: 'TOKEN' },
        },
        features: [
          {
            name: 'USER_PROVISIONING',
            status: 'ENABLED',
            description: 'User provisioning settings from Okta to a downstream application',
            capabilities: {
              create: { lifecycleCreate: { status: 'ENABLED' } },
              update: {
                profile: { status: 'ENABLED' },
                lifecycleDeactivate: { status: 'DISABLED' },
                password: { status: 'DISABLED', seed: 'RANDOM', change: 'KEEP_EXISTING' },
              },
            },
          },
        ],
        users: [
          appUser(IDS.bob, 'ERROR', 'bob@target.example.com'),
          appUser(IDS.alice, 'SYNCHRONIZED', 'alice@target.example.com'),
        ],
      },
      {
        app: {
          id: IDS.scim,
          name: 'acmescim_1',
          label: 'Acme SCIM',
          status: 'ACTIVE',
          signOnMode: 'SAML_2_0',
          features: ['SCIM_PROVISIONING', 'PUSH_USER_DEACTIVATION'],
        },
        users: [],
      },
      {
        app: { id: IDS.saml, name: 'wiki_1', label: 'Wiki', status: 'ACTIVE', signOnMode: 'SAML_2_0', features: [] },
      },
      {
        app: {
          id: IDS.oldScim,
          name: 'legacy_1',
          label: 'Legacy SCIM',
          status: 'INACTIVE',
          signOnMode: 'SAML_2_0',
          features: ['PUSH_NEW_USERS'],
        },
      },
    ],
    logs: [
      // Workflows: wfc1 created by carol, reauthorized by alice; wfc2 created then deleted.
      logEvent('wf-1', 'workflows.user.connection.create', daysAgo(40), carol, [
        carol,
        okta(),
        { id: 'wfc1', type: 'WorkflowsConnection', displayName: 'Okta - prod (Carol)' },
      ]),
      logEvent('wf-2', 'workflows.user.connection.reauthorize', daysAgo(10), alice, [
        alice,
        okta(),
        { id: 'wfc1', type: 'WorkflowsConnection', displayName: 'Okta - prod (Carol)' },
      ]),
      logEvent('wf-3', 'workflows.user.connection.create', daysAgo(30), carol, [
        carol,
        okta(),
        { id: 'wfc2', type: 'WorkflowsConnection', displayName: 'Scratch' },
      ]),
      logEvent('wf-4', 'workflows.user.connection.delete', daysAgo(20), carol, [
        carol,
        okta(),
        { id: 'wfc2', type: 'WorkflowsConnection', displayName: 'Scratch' },
      ]),
      // Outside the 90-day window: must not be read.
      logEvent('wf-old', 'workflows.user.connection.create', daysAgo(120), person(IDS.zed, 'zed@example.com'), [
        person(IDS.zed, 'zed@example.com'),
        okta(),
        { id: 'wfc-old', type: 'WorkflowsConnection', displayName: 'Ancient' },
      ]),
      // Provisioning
      logEvent(
        'pv-1',
        'application.integration.authentication_failure',
        daysAgo(3),
        { id: IDS.o2o, type: 'PublicClientApp', displayName: 'Okta Org2Org' },
        [o2oApp()],
        'FAILURE',
      ),
      logEvent(
        'pv-2',
        'application.configuration.update',
        daysAgo(2),
        { id: IDS.o2o, type: 'PublicClientApp' },
        [o2oApp()],
        'FAILURE',
      ),
      logEvent('pv-3', 'application.configuration.update', daysAgo(2), alice, [o2oApp()]),
      logEvent(
        'pv-4',
        'application.provision.user.deactivate',
        daysAgo(5),
        { id: IDS.o2o, type: 'PublicClientApp' },
        [person(IDS.bob, 'bob@example.com'), o2oApp()],
        'FAILURE',
      ),
      logEvent('pv-5', 'application.provision.user.deactivate', daysAgo(6), { id: IDS.o2o, type: 'PublicClientApp' }, [
        person(IDS.bob, 'bob@example.com'),
        o2oApp(),
      ]),
      logEvent('pv-6', 'application.lifecycle.update', daysAgo(50), carol, [o2oApp()]),
      logEvent('pv-7', 'application.lifecycle.update', daysAgo(15), alice, [o2oApp()]),
      logEvent('pv-8', 'application.lifecycle.update', daysAgo(12), person(IDS.svc, 'svc-okta@example.com'), [
        scimApp(),
      ]),
      logEvent('pv-9', 'application.lifecycle.update', daysAgo(1), { id: 'system', type: 'SystemPrincipal' }, [
        o2oApp(),
      ]),
      // Agents: the old one by dave (AgentInstance target), the new one by erin (target known only by id).
      logEvent('ag-1', 'system.agent.register', daysAgo(60), person(IDS.dave, 'dave@example.com'), [
        { id: IDS.oldAgent, type: 'AgentInstance', displayName: 'DC-OLD' },
      ]),
      logEvent('ag-2', 'system.agent.ad.create', daysAgo(30), person(IDS.erin, 'erin@example.com'), [
        { id: IDS.newAgent, type: 'ConnectorAgent', displayName: 'DC-NEW' },
      ]),
      // API tokens
      logEvent('tk-1', 'system.api_token.create', daysAgo(57), alice, [
        { id: '00Talice0000000000001', type: 'Token', displayName: 'SIEM export' },
      ]),
    ],
  };
}

export const ALL_SCOPES = [
  'okta.apiTokens.read',
  'okta.agentPools.read',
  'okta.apps.read',
  'okta.logs.read',
  'okta.users.read',
  'okta.roles.read',
  'okta.networkZones.read',
];

export async function startOrg(
  org: FakeOrgFixture = smallOrg(),
  options: Partial<FakeOktaOptions> & { credentials?: FakeCredentials } = {},
): Promise<FakeOkta> {
  return startFakeOkta({ credentials: { apiTokens: [{ token: GOOD_TOKEN }] }, ...options, org });
}

/** A client with no real waiting: tests must not sleep through backoffs. */
export function sswsClient(okta: FakeOkta, options: OktaClientOptions = {}, token = GOOD_TOKEN): OktaClient {
  return createOktaClient(
    { orgUrl: okta.url, auth: { kind: 'token', token } },
    { sleep: async () => {}, requestTimeoutMs: 2_000, maxRetries: 2, ...options },
  );
}

export const COLLECT = { now: NOW, lookbackDays: 90 } as const;
