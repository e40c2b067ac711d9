import { describe, expect, it } from 'vitest';
import {
  build,
  findingsOf,
  type RuleCase,
  ruleTable,
  SVC,
  TOKEN,
  withMissingUser,
  withSourceFailed,
  withUnreadUser,
  withUser,
} from '../support/inventory-builder';

const RULE = 'api-token-owner-super-admin';

const superAdmin = (assignmentType: 'USER' | 'GROUP', status: string | null = 'ACTIVE') =>
  withUser(SVC, { roles: [{ type: 'SUPER_ADMIN', label: 'Super Administrator', status, assignmentType }] });

const cases: RuleCase[] = [
  { name: 'an owner without SUPER_ADMIN passes', edits: [], expected: [{ resourceId: TOKEN, status: 'PASS' }] },
  {
    name: 'an owner with SUPER_ADMIN assigned directly fails',
    edits: [superAdmin('USER')],
    expected: [{ resourceId: TOKEN, status: 'FAIL' }],
  },
  {
    name: 'an owner with SUPER_ADMIN through a group fails',
    edits: [superAdmin('GROUP')],
    expected: [{ resourceId: TOKEN, status: 'FAIL' }],
  },
  {
    name: 'an inactive SUPER_ADMIN assignment passes',
    edits: [superAdmin('USER', 'INACTIVE')],
    expected: [{ resourceId: TOKEN, status: 'PASS' }],
  },
  {
    name: 'an owner whose roles could not be read is unknown',
    edits: [withUser(SVC, { roles: null })],
    expected: [{ resourceId: TOKEN, status: 'UNKNOWN' }],
  },
  {
    name: 'an owner that could not be read is unknown',
    edits: [withUnreadUser(SVC)],
    expected: [{ resourceId: TOKEN, status: 'UNKNOWN' }],
  },
  {
    name: 'a deleted owner holds no role and passes',
    edits: [withMissingUser(SVC)],
    expected: [{ resourceId: TOKEN, status: 'PASS' }],
  },
  {
    name: 'a failed role read makes a would-be pass unknown',
    edits: [withSourceFailed('ownerRoles')],
    expected: [{ resourceId: TOKEN, status: 'UNKNOWN' }],
  },
  {
    name: 'a failed token list gives one unknown row',
    edits: [withSourceFailed('apiTokens')],
    expected: [{ resourceId: 'api-tokens/*', status: 'UNKNOWN' }],
  },
];

describe(RULE, () => {
  ruleTable(RULE, cases);

  it('says whether SUPER_ADMIN comes through a group', () => {
    const [finding] = findingsOf(RULE, build(superAdmin('GROUP')));
    expect(finding.message).toContain('holds SUPER_ADMIN through a group');
    expect(finding.evidence).toMatchObject({ superAdminAssignments: ['GROUP'] });
  });
});
