import { describe, expect, it } from 'vitest';
import type { AccountStopEvent } from '../../lambda/domain/account-stop-events';
import type { Finding } from '../../lambda/domain/finding';
import { SNS_MAX_MESSAGE_BYTES, snsMessageBytes } from '../../lambda/sinks/digest';
import { buildOwnerAlert } from '../../lambda/sinks/owner-alert';

// The owner alert as a person reads it: one entry per integration, worst first, within SNS's limits.

const EVENT: AccountStopEvent = {
  uuid: 'e1b6c2a4-ad52-11f0-9a4e-3b2f5d6c7a81',
  eventType: 'user.lifecycle.deactivate',
  published: '2026-11-29T14:02:11.402Z',
  account: { id: '00uFrank', login: 'frank.miller@acme.com' },
};

function finding(i: number, overrides: Partial<Finding> = {}): Finding {
  return {
    id: `f-${i}`,
    ruleId: 'api-token-owner-is-human',
    status: 'FAIL',
    severity: 'high',
    resource: { type: 'api_token', id: `00T${i}`, name: `Token ${i}` },
    owner: { id: '00uFrank', login: 'frank.miller@acme.com', status: 'ACTIVE', kind: 'human', signals: [] },
    message: `API token "Token ${i}" is owned by a person.`,
    remediation: 'Create a replacement token as a service account, then revoke this one.',
    evidence: {},
    ...overrides,
  };
}

describe('the owner alert', () => {
  it('lists each integration once, worst first, with every failing rule and each distinct fix', () => {
    const notActive = finding(1, {
      id: 'f-1b',
      ruleId: 'api-token-owner-not-active',
      severity: 'critical',
      remediation: 'Recreate the token as an active service account.',
    });
    const alert = buildOwnerAlert({
      org: 'acme.okta.com',
      event: EVENT,
      findings: [finding(2), finding(1), notActive],
      recordPointer: 'DynamoDB table T',
    });

    expect(alert.json.integrations).toEqual([
      {
        type: 'api_token',
        id: '00T1',
        name: 'Token 1',
        severity: 'critical',
        ruleIds: ['api-token-owner-is-human', 'api-token-owner-not-active'],
        remediations: [
          'Create a replacement token as a service account, then revoke this one.',
          'Recreate the token as an active service account.',
        ],
      },
      expect.objectContaining({ id: '00T2', severity: 'high' }),
    ]);
    expect(alert.email.replace(/\s+/g, ' ')).toContain('these 2 integrations stop now.');
    expect(alert.attributes).toEqual({ org: 'acme.okta.com', status: 'owner-stopped', severity: 'critical' });
  });

  it('says "this integration" for one', () => {
    const alert = buildOwnerAlert({ org: 'acme.okta.com', event: EVENT, findings: [finding(1)], recordPointer: 'T' });
    expect(alert.email.replace(/\s+/g, ' ')).toContain(
      'frank.miller@acme.com was deactivated at 14:02 UTC on 2026-11-29; this integration stops now.',
    );
    expect(alert.subject).toBe(
      '[okta-scan] acme.okta.com: frank.miller@acme.com was deactivated; 1 integration stops now',
    );
  });

  it('shows the first hundred of a great many, says how many more, and stays within SNS limits', () => {
    const many = Array.from({ length: 150 }, (_, i) => finding(i, { remediation: `Fix ${i}: ${'x'.repeat(2_000)}` }));
    const alert = buildOwnerAlert({ org: 'o'.repeat(300), event: EVENT, findings: many, recordPointer: 'T' });

    expect(alert.json.integrations).toHaveLength(100);
    expect(alert.json.omitted).toBe(50);
    expect(alert.email).toContain('… and 50 more: see the full record.');
    expect(alert.subject.length).toBeLessThan(100);
    expect(snsMessageBytes(alert)).toBeLessThan(SNS_MAX_MESSAGE_BYTES);
  });
});
