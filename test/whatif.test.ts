import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../lambda/config';
import type { Inventory } from '../lambda/domain/inventory';
import { evaluateRules } from '../lambda/engine';
import { whatIf } from '../lambda/whatif';
import {
  AGENT,
  ALICE,
  addAgent,
  addToken,
  asImportOnly,
  asSignInOnly,
  authorizedBy,
  BOB,
  build,
  NOW,
  ORG2ORG,
  SVC,
  TOKEN,
  WF_CONNECTION,
  withAgent,
  withMissingUser,
  withProvisioningAuthorization,
  withRegistration,
  withSourceFailed,
  withToken,
  withTokenUsage,
  withWorkflowsConnection,
} from './support/inventory-builder';

const ask = (inventory: Inventory, user: string) =>
  whatIf(inventory, evaluateRules(inventory, { config: DEFAULT_CONFIG, now: NOW }).findings, user);

/** Alice owns a token, installed an old agent and a new one, and authorized a Workflows and a provisioning connection. */
const aliceEverywhere = () =>
  build(
    withToken({ userId: ALICE }),
    withAgent({ version: '3.17.0' }),
    withRegistration(AGENT, ALICE),
    addAgent({ id: 'a53dc2', name: 'DC2', version: '3.19.0' }),
    withRegistration('a53dc2', ALICE),
    authorizedBy(ALICE),
    withProvisioningAuthorization(ORG2ORG, ALICE),
  );

describe('whatIf', () => {
  it('lists every integration that depends on the user, most severe first', () => {
    const answer = ask(aliceEverywhere(), ALICE);
    expect(answer.found).toBe(true);
    expect(answer.user).toMatchObject({ id: ALICE, login: 'alice@acme.com', status: 'ACTIVE', kind: 'human' });
    expect(answer.impacts.map((i) => [i.resource.type, i.resource.id, i.severity])).toEqual([
      ['api_token', TOKEN, 'critical'],
      ['workflows_connection', WF_CONNECTION, 'critical'],
      ['ad_agent', AGENT, 'high'],
      ['app_provisioning', ORG2ORG, 'high'],
    ]);
  });

  it('leaves out agents from 3.18.0, which do not depend on their installer', () => {
    const answer = ask(aliceEverywhere(), ALICE);
    expect(answer.impacts.map((i) => i.resource.id)).not.toContain('a53dc2');
  });

  it('says what breaks and what to do first', () => {
    const token = ask(aliceEverywhere(), ALICE).impacts[0];
    expect(token.what).toContain('API token "SIEM export" stops working');
    expect(token.firstStep).toMatch(/^Create a replacement token while signed in as a service account/);
  });

  it('names the rules with findings on each resource', () => {
    const token = ask(aliceEverywhere(), ALICE).impacts[0];
    expect(token.ruleIds).toEqual([
      'api-token-expiring',
      'api-token-owner-is-human',
      'api-token-owner-not-active',
      'api-token-owner-super-admin',
      'api-token-unrestricted-network',
      'api-token-unused',
    ]);
  });

  it('names the integration behind a token by what it did: IP address, user agent and changes in the window', () => {
    const inventory = build(
      withToken({ userId: ALICE }),
      withTokenUsage(TOKEN, {
        eventCount: 1240,
        ipAddresses: ['192.0.2.3', '198.51.100.9'],
        userAgents: ['Terraform/1.9.8'],
      }),
    );
    const [token] = ask(inventory, ALICE).impacts;
    expect(token.what).toContain(
      'the integration calling from 192.0.2.3 (and 1 more) with Terraform/1.9.8 that made 1,240 changes in 90 days fails',
    );
  });

  it('says only that whatever calls the API fails when the token made no logged change, or its log was not read', () => {
    const idle = ask(build(withToken({ userId: ALICE })), ALICE).impacts[0];
    expect(idle.what).toContain('so whatever calls the API with it fails');
    const unread = build(withToken({ userId: ALICE }), withTokenUsage(TOKEN, {}), withSourceFailed('apiTokenUsage'));
    expect(ask(unread, ALICE).impacts[0].what).toContain('so whatever calls the API with it fails');
  });

  it('says how much a Workflows connection did as the user', () => {
    const inventory = build(
      authorizedBy(ALICE),
      withWorkflowsConnection({ usage: { lastUsedAt: '2026-11-20T09:30:00.000Z', eventCount: 3, eventTypes: {} } }),
    );
    const connection = ask(inventory, ALICE).impacts.find((i) => i.resource.type === 'workflows_connection');
    expect(connection?.what).toContain('it made 3 logged changes as this user, the last on 2026-11-20');
  });

  it('lists dependencies regardless of their verdict, even on a service account', () => {
    const answer = ask(build(), SVC);
    expect(answer.user?.kind).toBe('service');
    expect(answer.impacts.map((i) => i.resource.type).sort()).toEqual([
      'api_token',
      'app_provisioning',
      'workflows_connection',
    ]);
  });

  it('finds the user by login, whatever the case', () => {
    expect(ask(aliceEverywhere(), 'Alice@ACME.com').user?.id).toBe(ALICE);
  });

  it('lists each resource once, even with two tokens', () => {
    const inventory = build(withToken({ userId: BOB }), addToken({ id: '00Tsecond', name: 'Backup', userId: BOB }));
    const ids = ask(inventory, BOB).impacts.map((i) => i.resource.id);
    expect(ids.sort()).toEqual(['00Tsecond', TOKEN]);
  });

  it('answers for a user that was deleted', () => {
    const answer = ask(build(withToken({ userId: BOB }), withMissingUser(BOB)), BOB);
    expect(answer.found).toBe(true);
    expect(answer.user).toMatchObject({ id: BOB, status: null, kind: 'unknown' });
    expect(answer.impacts.map((i) => i.resource.id)).toEqual([TOKEN]);
  });

  it('leaves out an Org2Org app used for sign-in only that the user merely edited (issue 18)', () => {
    const answer = ask(build(asSignInOnly(), withProvisioningAuthorization(ORG2ORG, ALICE)), ALICE);
    expect(answer.impacts.map((i) => i.resource.id)).not.toContain(ORG2ORG);
  });

  it('says imports stop for an Org2Org app used for import only (issue 18)', () => {
    const answer = ask(build(asImportOnly(), withProvisioningAuthorization(ORG2ORG, ALICE)), ALICE);
    const impact = answer.impacts.find((i) => i.resource.id === ORG2ORG);
    expect(impact?.what).toContain('no longer imported');
  });

  it('says so when nothing depends on the user', () => {
    const answer = ask(build(), BOB);
    expect(answer).toMatchObject({ found: true, impacts: [] });
  });

  it('says the user was not found for an unknown id or login', () => {
    expect(ask(build(), 'nobody@acme.com')).toEqual({ user: null, found: false, impacts: [] });
    expect(ask(build(), '00unotreferenced')).toEqual({ user: null, found: false, impacts: [] });
  });

  it('works without findings, from the inventory alone', () => {
    const answer = whatIf(aliceEverywhere(), [], ALICE);
    expect(answer.user?.kind).toBe('human');
    expect(answer.impacts).toHaveLength(4);
    expect(answer.impacts[0].ruleIds).toEqual(['api-token-owner-is-human', 'api-token-owner-not-active']);
  });
});
