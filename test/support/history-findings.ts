import type { Finding, Verdict } from '../../lambda/domain/finding';

// One finding per id for the history tests (planning and both stores): only its id, rule and
// verdict matter to NEW / ONGOING / REGRESSED / RESOLVED.

export function historyFinding(id: string, status: Verdict, ruleId = 'api-token-owner-is-human'): Finding {
  return {
    id,
    ruleId,
    status,
    severity: 'high',
    resource: { type: 'api_token', id, name: `token ${id}` },
    owner: { id: '00u1', login: 'alice@acme.com', status: 'ACTIVE', kind: 'human', signals: [] },
    message: `token ${id} is owned by a person`,
    remediation: 'Recreate the token as a service account',
    evidence: { userId: '00u1' },
  };
}
