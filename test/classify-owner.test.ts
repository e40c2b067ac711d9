import { describe, expect, it } from 'vitest';
import { classifyOwner, ownerClassifier } from '../lambda/classify-owner';
import { DEFAULT_CONFIG, parseConfig } from '../lambda/config';
import { ALICE, BOB, build, SVC, withMissingUser, withUnreadUser, withUser } from './support/inventory-builder';

const defaults = DEFAULT_CONFIG.serviceAccounts;
const plainAlice = withUser(ALICE, { groups: [{ id: '00g1', name: 'Everyone' }] });

describe('classifyOwner', () => {
  it('calls a person who matches no service-account signal human, and says why', () => {
    const result = classifyOwner(ALICE, build(), defaults);
    expect(result).toMatchObject({ kind: 'human', login: 'alice@acme.com', status: 'ACTIVE', missing: false });
    expect(result.signals).toEqual(['profile.userType=Employee', 'no service-account signal']);
  });

  it('says "no profile.userType" when a person has none', () => {
    const result = classifyOwner(ALICE, build(withUser(ALICE, { profile: { userType: null } })), defaults);
    expect(result.signals).toEqual(['no profile.userType', 'no service-account signal']);
  });

  it('calls a member of a service-account group a service account, whatever the case of the name', () => {
    const inventory = build(plainAlice, withUser(ALICE, { groups: [{ id: '00g2', name: 'SERVICE ACCOUNTS' }] }));
    const result = classifyOwner(ALICE, inventory, defaults);
    expect(result.kind).toBe('service');
    expect(result.signals).toEqual(['member of group "SERVICE ACCOUNTS"']);
  });

  it('calls a user whose profile.userType is a service type a service account, case-insensitively', () => {
    const result = classifyOwner(ALICE, build(withUser(ALICE, { profile: { userType: 'SERVICE' } })), defaults);
    expect(result.kind).toBe('service');
    expect(result.signals).toEqual(['profile.userType=SERVICE']);
  });

  it('calls a user whose login matches a pattern a service account, case-insensitively', () => {
    const result = classifyOwner(ALICE, build(withUser(ALICE, { login: 'SVC_Backup@acme.com' })), defaults);
    expect(result.kind).toBe('service');
    expect(result.signals).toEqual(['login matches /^(svc|service)[-_.]/i']);
  });

  it('calls a user listed by id a service account', () => {
    const config = parseConfig({ serviceAccounts: { userIds: [ALICE] } });
    const result = classifyOwner(ALICE, build(), config.serviceAccounts);
    expect(result.kind).toBe('service');
    expect(result.signals).toEqual(['user id listed in serviceAccounts.userIds']);
  });

  it('lists every signal that matched', () => {
    const result = classifyOwner(SVC, build(), defaults);
    expect(result.kind).toBe('service');
    expect(result.signals).toEqual([
      'member of group "Service Accounts"',
      'profile.userType=Service',
      'login matches /^(svc|service)[-_.]/i',
    ]);
  });

  it('uses the configured signals instead of the defaults', () => {
    const config = parseConfig({ serviceAccounts: { groups: ['Robots'], userTypes: [], loginPatterns: ['^bot-'] } });
    expect(classifyOwner(SVC, build(), config.serviceAccounts).kind).toBe('human');
    const robot = build(withUser(ALICE, { login: 'bot-ci@acme.com' }));
    expect(classifyOwner(ALICE, robot, config.serviceAccounts).signals).toEqual(['login matches /^bot-/i']);
  });

  it('calls a person unknown when their groups could not be read, since a group might make them a service account', () => {
    const result = classifyOwner(ALICE, build(withUser(ALICE, { groups: null })), defaults);
    expect(result.kind).toBe('unknown');
    expect(result.signals[1]).toMatch(/groups could not be read/);
  });

  it('still calls a user a service account from another signal when groups could not be read', () => {
    const result = classifyOwner(SVC, build(withUser(SVC, { groups: null })), defaults);
    expect(result.kind).toBe('service');
  });

  it('calls a deleted user unknown and missing, with no status', () => {
    const result = classifyOwner(BOB, build(withMissingUser(BOB)), defaults);
    expect(result).toMatchObject({ id: BOB, kind: 'unknown', missing: true, status: null, login: null, user: null });
    expect(result.signals).toEqual(['user not found in Okta (deleted)']);
  });

  it('calls a user that could not be read unknown, not missing', () => {
    const result = classifyOwner(ALICE, build(withUnreadUser(ALICE)), defaults);
    expect(result).toMatchObject({ kind: 'unknown', missing: false, status: null });
    expect(result.signals).toEqual(['user could not be read from Okta']);
  });

  it('does not mistake an inherited object property for a user', () => {
    expect(classifyOwner('toString', build(), defaults).kind).toBe('unknown');
  });
});

describe('ownerClassifier', () => {
  it('classifies each user once per scan', () => {
    const classify = ownerClassifier(build(), defaults);
    expect(classify(ALICE)).toBe(classify(ALICE));
    expect(classify(ALICE).kind).toBe('human');
  });
});
