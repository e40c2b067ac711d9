import { describe, expect, it } from 'vitest';
import {
  AGENT,
  addAgent,
  build,
  findingsOf,
  type RuleCase,
  ruleTable,
  withAgent,
  withSourceFailed,
} from '../support/inventory-builder';

const RULE = 'ad-agent-not-operational';

const cases: RuleCase[] = [
  {
    name: 'an operational agent passes',
    edits: [],
    expected: [{ resourceId: AGENT, status: 'PASS', severity: 'medium' }],
  },
  {
    name: 'a disrupted agent with an operational peer fails at medium',
    edits: [
      withAgent({ operationalStatus: 'DISRUPTED' }),
      addAgent({ id: 'a53dc2', name: 'DC2', operationalStatus: 'OPERATIONAL' }),
    ],
    expected: [
      { resourceId: AGENT, status: 'FAIL', severity: 'medium' },
      { resourceId: 'a53dc2', status: 'PASS', severity: 'medium' },
    ],
  },
  {
    name: 'the last agent of a pool going inactive fails at high',
    edits: [withAgent({ operationalStatus: 'INACTIVE' })],
    expected: [{ resourceId: AGENT, status: 'FAIL', severity: 'high' }],
  },
  {
    name: 'a degraded agent fails',
    edits: [
      withAgent({ operationalStatus: 'DEGRADED' }),
      addAgent({ id: 'a53dc2', name: 'DC2', operationalStatus: 'OPERATIONAL' }),
    ],
    expected: [
      { resourceId: AGENT, status: 'FAIL', severity: 'medium' },
      { resourceId: 'a53dc2', status: 'PASS', severity: 'medium' },
    ],
  },
  {
    name: 'a failed agent-pool read gives one unknown row',
    edits: [withSourceFailed('agentPools')],
    expected: [{ resourceId: 'ad-agents/*', status: 'UNKNOWN', severity: 'medium' }],
  },
];

describe(RULE, () => {
  ruleTable(RULE, cases);

  it('says the pool has no operational agent left', () => {
    const [finding] = findingsOf(RULE, build(withAgent({ operationalStatus: 'INACTIVE' })));
    expect(finding.message).toContain('has no operational agent left');
    expect(finding.evidence).toMatchObject({ operationalAgentsInPool: 0, poolName: 'acme.local' });
  });
});
