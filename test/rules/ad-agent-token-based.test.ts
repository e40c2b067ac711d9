import { describe, expect, it } from 'vitest';
import {
  AGENT,
  ALICE,
  addAgent,
  build,
  findingsOf,
  type RuleCase,
  ruleTable,
  withAgent,
  withRegistration,
  withSourceFailed,
} from '../support/inventory-builder';

const RULE = 'ad-agent-token-based';

const cases: RuleCase[] = [
  { name: 'an agent on 3.19.0 passes', edits: [], expected: [{ resourceId: AGENT, status: 'PASS' }] },
  {
    name: 'an agent on exactly 3.18.0 passes',
    edits: [withAgent({ version: '3.18.0' })],
    expected: [{ resourceId: AGENT, status: 'PASS' }],
  },
  {
    name: 'an agent on 3.17.0 fails',
    edits: [withAgent({ version: '3.17.0' })],
    expected: [{ resourceId: AGENT, status: 'FAIL' }],
  },
  {
    name: 'an agent on 3.9.1 fails: versions compare as numbers, not text',
    edits: [withAgent({ version: '3.9.1' })],
    expected: [{ resourceId: AGENT, status: 'FAIL' }],
  },
  {
    name: 'an agent on 3.100.0 passes: versions compare as numbers, not text',
    edits: [withAgent({ version: '3.100.0' })],
    expected: [{ resourceId: AGENT, status: 'PASS' }],
  },
  {
    name: 'an agent with a build number after 3.18 passes',
    edits: [withAgent({ version: '3.18.0.1234' })],
    expected: [{ resourceId: AGENT, status: 'PASS' }],
  },
  {
    name: 'an agent with no version is unknown',
    edits: [withAgent({ version: null })],
    expected: [{ resourceId: AGENT, status: 'UNKNOWN' }],
  },
  {
    name: 'an agent with an unparseable version is unknown',
    edits: [withAgent({ version: 'latest' })],
    expected: [{ resourceId: AGENT, status: 'UNKNOWN' }],
  },
  {
    name: 'an old agent installed before the log window still fails',
    edits: [withAgent({ version: '3.16.2' }), withRegistration(AGENT, null)],
    expected: [{ resourceId: AGENT, status: 'FAIL' }],
  },
  {
    name: 'a failed agent-pool read gives one unknown row',
    edits: [withSourceFailed('agentPools')],
    expected: [{ resourceId: 'ad-agents/*', status: 'UNKNOWN' }],
  },
  {
    name: 'a failed System Log read does not hide an old agent',
    edits: [withAgent({ version: '3.17.0' }), withSourceFailed('agentEvents')],
    expected: [{ resourceId: AGENT, status: 'FAIL' }],
  },
  {
    name: 'a failed System Log read does not make a new agent unknown: its version decides',
    edits: [withSourceFailed('agentEvents')],
    expected: [{ resourceId: AGENT, status: 'PASS' }],
  },
  {
    name: 'agents of other pool types are not judged',
    edits: [
      (inv) => {
        inv.agentPools[0].type = 'LDAP';
        inv.agentPools[0].agents[0].type = 'LDAP';
      },
    ],
    expected: [],
  },
  {
    name: 'each agent gets its own row',
    edits: [addAgent({ id: 'a53dc2', name: 'DC2', version: '3.17.0' })],
    expected: [
      { resourceId: AGENT, status: 'PASS' },
      { resourceId: 'a53dc2', status: 'FAIL' },
    ],
  },
];

describe(RULE, () => {
  ruleTable(RULE, cases);

  it('names the installer as the owner of an old agent', () => {
    const [finding] = findingsOf(RULE, build(withAgent({ version: '3.17.0' }), withRegistration(AGENT, ALICE)));
    expect(finding.owner).toMatchObject({ id: ALICE, login: 'alice@acme.com', kind: 'human' });
    expect(finding.message).toBe(
      'AD agent "DC1" runs version 3.17.0, which authenticates with an API token of the admin who installed it (alice@acme.com, a person): the agent stops when that account is deactivated.',
    );
  });

  it('says the installer is unknown when the registration is older than the log window', () => {
    const [finding] = findingsOf(RULE, build(withAgent({ version: '3.17.0' }), withRegistration(AGENT, null)));
    expect(finding.owner).toBeNull();
    expect(String(finding.evidence.installedBy)).toMatch(/^unknown: no registration event since/);
  });
});
