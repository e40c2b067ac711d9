import { describe, expect, it } from 'vitest';
import type { Finding, Verdict } from '../../lambda/domain/finding';
import { getRule } from '../../lambda/rules';
import { OCSF_VERSION, renderReportOcsf, toOcsfEvent } from '../../lambda/sinks/report-ocsf';
import { finding, sampleReport } from '../cli/report-schema';
import { complianceFindingProblems } from './ocsf-compliance-finding';

// biome-ignore lint/suspicious/noExplicitAny: parsed JSON, read by path and checked by the schema check
type Event = Record<string, any>;

function events(findings: Finding[], overrides = {}): Event[] {
  return JSON.parse(renderReportOcsf(sampleReport(findings, overrides), { describeRule: getRule })) as Event[];
}

describe('OCSF Compliance Finding events', () => {
  it('writes one event per finding, each fitting OCSF 1.8.0 compliance_finding', () => {
    const all = events([
      finding(),
      finding({ id: 'f-2', status: 'PASS', owner: null }),
      finding({ id: 'f-3', status: 'UNKNOWN', severity: 'critical' }),
      finding({ id: 'f-4', status: 'SUPPRESSED', suppression: { reason: 'migrating', expires: '2027-01-31' } }),
    ]);
    expect(all).toHaveLength(4);
    for (const event of all) expect(complianceFindingProblems(event)).toEqual([]);
    expect(all[0].metadata.version).toBe(OCSF_VERSION);
  });

  it('keeps the stable finding id, the rule as the control, and the org as the tenant', () => {
    const [event] = events([finding({ id: 'abc123' })]);
    expect(event.finding_info.uid).toBe('abc123');
    expect(event.finding_info.title).toBe(getRule('api-token-owner-is-human')?.title);
    expect(event.compliance.control).toBe('api-token-owner-is-human');
    expect(event.metadata.tenant_uid).toBe('acme.okta.com');
    expect(event.time).toBe(Date.parse('2026-11-28T02:00:05.000Z'));
  });

  it.each<[Verdict, number, number]>([
    ['FAIL', 3, 1],
    ['PASS', 1, 1],
    ['UNKNOWN', 2, 1],
    ['SUPPRESSED', 3, 3],
  ])(
    'maps %s to compliance.status_id %i and status_id %i (UNKNOWN is never Pass)',
    (verdict, complianceId, statusId) => {
      const [event] = events([finding({ status: verdict })]);
      expect(event.compliance.status_id).toBe(complianceId);
      expect(event.status_id).toBe(statusId);
      expect(event.status_code).toBe(verdict);
    },
  );

  it.each([
    ['critical', 5],
    ['high', 4],
    ['medium', 3],
    ['low', 2],
    ['info', 1],
  ] as const)('maps severity %s to severity_id %i', (severity, id) => {
    expect(events([finding({ severity })])[0].severity_id).toBe(id);
  });

  it('puts the resource first and its owner as the resource owner, a person as User, a service account as Service', () => {
    const [human, service, none] = events([
      finding(),
      finding({
        id: 'f-2',
        owner: { id: '00u9', login: 'svc@acme.com', status: 'ACTIVE', kind: 'service', signals: [] },
      }),
      finding({ id: 'f-3', owner: null }),
    ]);
    expect(human.resources[0]).toMatchObject({ uid: '00T1', name: 'SIEM export', type: 'api_token', role_id: 1 });
    expect(human.resources[0].owner).toEqual({ uid: '00u1', name: 'alice@acme.com', type_id: 1, type: 'User' });
    expect(service.resources[0].owner).toMatchObject({ name: 'svc@acme.com', type_id: 4 });
    expect(none.resources[0].owner).toBeUndefined();
  });

  it('fills standards and requirements from the finding compliance mappings when present', () => {
    const mapped = {
      ...finding(),
      compliance: [
        { framework: 'DISA Okta IDaaS STIG V1R2', control: 'V-279690' },
        { framework: 'OWASP Non-Human Identities Top 10 (2025)', control: 'NHI1' },
      ],
    };
    const [withMap, without] = events([mapped, finding({ id: 'f-2' })]);
    expect(withMap.compliance.standards).toEqual([
      'DISA Okta IDaaS STIG V1R2',
      'OWASP Non-Human Identities Top 10 (2025)',
    ]);
    expect(withMap.compliance.requirements).toEqual([
      'DISA Okta IDaaS STIG V1R2: V-279690',
      'OWASP Non-Human Identities Top 10 (2025): NHI1',
    ]);
    expect(without.compliance.standards).toBeUndefined();
    expect(complianceFindingProblems(withMap)).toEqual([]);
  });

  it('carries the remediation with the rule references, and the evidence unmapped', () => {
    const f = finding({ evidence: { ownerUserId: '00u1' } });
    const event = toOcsfEvent(sampleReport([f]), f, { describeRule: getRule }) as Event;
    expect(event.remediation.desc).toBe(f.remediation);
    expect(event.remediation.references).toEqual(getRule(f.ruleId)?.references);
    expect(event.unmapped.evidence).toEqual({ ownerUserId: '00u1' });
  });

  it('says in every event when the scan was incomplete', () => {
    const errors = [{ source: 'apiTokens', message: 'HTTP 403', requiredScope: 'okta.apiTokens.read' }];
    const [event] = events([finding({ status: 'UNKNOWN' })], { status: 'incomplete', errors });
    expect(event.unmapped.scanIncomplete).toEqual(errors);
  });

  it('the schema check catches what the class requires', () => {
    const [event] = events([finding()]);
    const broken = { ...event, finding_info: { title: 'x' }, class_uid: 2001, compliance: undefined, extra: 1 };
    expect(complianceFindingProblems(broken)).toEqual(
      expect.arrayContaining([
        'finding_info.uid is required',
        'class_uid must be 2003 (Compliance Finding)',
        'compliance is required',
        'event.extra is not an attribute',
      ]),
    );
  });
});
