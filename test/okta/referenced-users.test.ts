import { describe, expect, it } from 'vitest';
import { isTokenBasedAgentVersion } from '../../lambda/domain/ad-agent';
import type { AppUserInError } from '../../lambda/domain/inventory';
import { referencedUsers, statusOnlyUserIds } from '../../lambda/okta/referenced-users';
import {
  AGENT,
  ALICE,
  addApp,
  addToken,
  authorizedBy,
  BOB,
  build,
  logEvent,
  ORG2ORG,
  SVC,
  withAgent,
  withApp,
  withProvisioningAuthorization,
  withRegistration,
  withToken,
} from '../support/inventory-builder';

// Which users a scan reads, derived from what the other sources read: no Okta needed.

const CAROL = '00ucarol0000000001';
const DAVE = '00udave00000000001';

const inError = (userId: string): AppUserInError => ({
  userId,
  status: 'PROVISIONED',
  syncState: 'ERROR',
  userName: null,
});

describe('referenced users', () => {
  it('reads each user a token, a Workflows connection or a provisioning authorization names, once, sorted', () => {
    const inventory = build(
      withToken({ userId: BOB }),
      addToken({ id: '00Tsecond', name: 'Second', userId: ALICE }),
      addToken({ id: '00Tthird', name: 'Third', userId: BOB }),
      authorizedBy(CAROL),
      withProvisioningAuthorization(ORG2ORG, DAVE),
    );
    expect(referencedUsers(inventory, [], isTokenBasedAgentVersion)).toEqual({
      userIds: [ALICE, BOB, CAROL, DAVE].sort(),
      logins: [],
    });
  });

  it('reads the installer of an AD agent only while the agent runs on its API token', () => {
    const onToken = build(withAgent({ version: '3.17.2' }), withRegistration(AGENT, CAROL));
    expect(referencedUsers(onToken, [], isTokenBasedAgentVersion).userIds).toContain(CAROL);

    const onOAuth = build(withAgent({ version: '3.18.0' }), withRegistration(AGENT, CAROL));
    expect(referencedUsers(onOAuth, [], isTokenBasedAgentVersion).userIds).not.toContain(CAROL);
  });

  it('ignores actors that are not users (a service app authorizing a connection)', () => {
    const inventory = build((inv) => {
      inv.workflowsConnections[0].lastAuthorizedBy = {
        id: '0oaapp',
        type: 'PublicClientApp',
        alternateId: null,
        displayName: null,
      };
    });
    expect(referencedUsers(inventory, [], isTokenBasedAgentVersion).userIds).toEqual([SVC]);
  });

  it('reads extra users asked for by id as ids and by login as logins', () => {
    const inventory = build();
    expect(referencedUsers(inventory, ['carol@acme.com', DAVE, SVC], isTokenBasedAgentVersion)).toEqual({
      userIds: [DAVE, SVC].sort(),
      logins: ['carol@acme.com'],
    });
  });
});

describe('users whose status alone matters', () => {
  it('are the app users in sync error and the targets of failed deactivation pushes, once, sorted', () => {
    const inventory = build(
      withApp({ usersInError: [inError(DAVE), inError(ALICE)] }),
      addApp({ id: '0oasecond', label: 'Second', usersInError: [inError(DAVE)] }),
      (inv) => {
        inv.deactivationPushFailures = [
          logEvent({
            eventType: 'application.provision.user.deactivate',
            target: [
              { id: CAROL, type: 'User', alternateId: null, displayName: null },
              { id: ORG2ORG, type: 'AppInstance', alternateId: null, displayName: null },
            ],
          }),
        ];
      },
    );
    expect(statusOnlyUserIds(inventory)).toEqual([ALICE, CAROL, DAVE].sort());
  });

  it('are none in a clean org', () => {
    expect(statusOnlyUserIds(build())).toEqual([]);
  });
});
