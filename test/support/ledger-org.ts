import { loadOrg } from '../../fake-okta/server';
import type { FakeOrgFixture, Json } from '../../fake-okta/types';

// The demo org with one Workflows connection whose life the ledger tests script day by day: made
// by a person (Carol) on day 0, then, as a test decides, revoked or reauthorized by a service
// account. The demo's own Workflows events are left out so the connection is the only one.

export const DAY0 = Date.parse('2026-01-01T00:00:00.000Z');
export const CONNECTION_ID = 'wfcLedgerTestConn0001';
export const CONNECTION_NAME = 'Okta – ledger test (Carol)';
export const CAROL = { id: '00uCarolbFzZDFzrwbl5', login: 'carol.smith@acme.com', name: 'Carol Smith' };
export const SERVICE = {
  id: '00uSvcIntegKjlQrKYYU',
  login: 'svc-okta-integrations@acme.com',
  name: 'Okta Integrations',
};

export function day(n: number): Date {
  return new Date(DAY0 + n * 86_400_000);
}

/** A Workflows connection event in the shape of the demo's (from the System Log catalog). */
export function workflowsEvent(
  eventType: 'create' | 'reauthorize' | 'delete' | 'revoke',
  at: Date,
  who: { id: string; login: string; name: string },
  uuid: string,
): Json {
  const user = { id: who.id, type: 'User', alternateId: who.login, displayName: who.name };
  return {
    uuid,
    published: at.toISOString(),
    eventType: `workflows.user.connection.${eventType}`,
    version: '0',
    severity: 'INFO',
    displayMessage: `${eventType} connection`,
    actor: user,
    client: { ipAddress: '203.0.113.30', userAgent: { rawUserAgent: 'Mozilla/5.0' } },
    outcome: { result: 'SUCCESS' },
    target: [
      user,
      { id: 'okta', type: 'AppInstance', alternateId: 'okta', displayName: 'Okta' },
      { id: CONNECTION_ID, type: 'WorkflowsConnection', alternateId: CONNECTION_ID, displayName: CONNECTION_NAME },
    ],
    transaction: { type: 'WEB', id: `tx-${uuid}`, detail: {} },
  };
}

/** Bob's Terraform token in the demo org. */
export const BOB_TOKEN = '00TBobTf3FalQ9nWyODo';
const BOB = {
  id: '00uBobwwKz3i5jtwZm2p',
  type: 'User',
  alternateId: 'bob.martinez@acme.com',
  displayName: 'Bob Martinez',
};

/**
 * A change made with an API token (`transaction.detail.requestApiTokenId`), or by Okta Workflows
 * as Carol (user agent `Azuqua`), in the shape of the demo's usage events.
 */
export function usageEvent(by: 'token' | 'workflows', at: Date, uuid: string): Json {
  const carol = { id: CAROL.id, type: 'User', alternateId: CAROL.login, displayName: CAROL.name };
  const token = by === 'token';
  return {
    uuid,
    published: at.toISOString(),
    eventType: 'group.user_membership.add',
    version: '0',
    severity: 'INFO',
    displayMessage: 'Add user to group membership',
    actor: token ? BOB : carol,
    client: { ipAddress: '10.1.2.3', userAgent: { rawUserAgent: token ? 'Terraform/1.9.8' : 'Azuqua' } },
    outcome: { result: 'SUCCESS' },
    target: [{ id: '00gContractors2Lq9x0d7', type: 'UserGroup', alternateId: 'unknown', displayName: 'Contractors' }],
    transaction: { type: 'WEB', id: `tx-${uuid}`, detail: token ? { requestApiTokenId: BOB_TOKEN } : {} },
  };
}

/** The demo org, without its Workflows events, plus Carol's connection made on day 0. */
export function ledgerOrg(): FakeOrgFixture {
  const org = loadOrg('demo');
  org.logs = org.logs.filter((e) => !String(e.eventType).startsWith('workflows.'));
  org.logs.push(workflowsEvent('create', day(0), CAROL, 'ledger-test-create-0001'));
  return org;
}

type Request = { path: string; query: Record<string, string> };

/** The System Log requests: every one reads a ledger stream, usage (API token and Workflows activity) included. */
export function ledgerLogRequests<R extends Request>(requests: readonly R[]): R[] {
  return requests.filter((r) => r.path === '/api/v1/logs');
}

/** The `since` of every System Log request of the ledger's streams. */
export function logSinces(requests: readonly Request[]): string[] {
  return [...new Set(ledgerLogRequests(requests).map((r) => r.query.since))];
}
