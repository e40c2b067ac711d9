import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Finding, Report, Severity } from '../../lambda/domain/finding';
import type { FindingChange, FindingState } from '../../lambda/domain/history';
import { shouldNotify } from '../../lambda/notification-policy';
import { buildDigest, type Digest, type DigestInput, SNS_MAX_MESSAGE_BYTES } from '../../lambda/sinks/digest';

const SCAN_TIME = '2026-11-28T02:00:00.000Z';

function finding(overrides: Partial<Finding> = {}): Finding {
  return {
    id: 'f-token-1',
    ruleId: 'api-token-owner-is-human',
    status: 'FAIL',
    severity: 'high',
    resource: { type: 'api_token', id: '00T1siem', name: 'SIEM export' },
    owner: {
      id: '00u1alice',
      login: 'alice@acme.com',
      status: 'ACTIVE',
      kind: 'human',
      signals: ['profile.userType=Employee'],
    },
    message: 'API token "SIEM export" is owned by alice@acme.com, a person rather than a service account.',
    remediation: 'Create a replacement token as a service account, move the integration to it, then revoke this one.',
    evidence: {},
    ...overrides,
  };
}

function change(state: FindingState, f: Finding, firstSeen = SCAN_TIME): FindingChange {
  return { state, finding: f, firstSeen, lastSeen: SCAN_TIME };
}

function report(overrides: Partial<Report> = {}, findings: Finding[] = []): Report {
  const byStatus = { PASS: 0, FAIL: 0, UNKNOWN: 0, SUPPRESSED: 0 };
  const failBySeverity: Record<Severity, number> = { critical: 0, high: 0, medium: 0, low: 0, info: 0 };
  for (const f of findings) {
    byStatus[f.status] += 1;
    if (f.status === 'FAIL') failBySeverity[f.severity] += 1;
  }
  return {
    schemaVersion: 1,
    scanId: 'scan-20261128-0200',
    org: 'acme.okta.com',
    startedAt: '2026-11-28T01:59:00.000Z',
    finishedAt: SCAN_TIME,
    status: 'complete',
    errors: [],
    summary: { byStatus, failBySeverity },
    findings,
    ...overrides,
  };
}

/** A deactivated owner behind a token: the critical violation of the examples. */
const criticalToken = finding({
  id: 'f-token-2',
  ruleId: 'api-token-owner-not-active',
  severity: 'critical',
  resource: { type: 'api_token', id: '00T2backup', name: 'Backup sync' },
  owner: { id: '00u2bob', login: 'bob@acme.com', status: 'DEPROVISIONED', kind: 'human', signals: [] },
  message: 'API token "Backup sync" belongs to bob@acme.com, who is DEPROVISIONED: it stops working at any time.',
  remediation: 'Recreate the token as an active service account and revoke this one.',
});

const mediumAgent = finding({
  id: 'f-agent-1',
  ruleId: 'ad-agent-not-operational',
  severity: 'medium',
  resource: { type: 'ad_agent', id: 'a53agent1', name: 'DC01.corp.acme.com' },
  owner: null,
  message: 'AD agent DC01.corp.acme.com is DISRUPTED.',
  remediation: 'Restart the Okta AD Agent service on DC01 or reinstall it.',
});

const resolvedWorkflow = finding({
  id: 'f-wf-1',
  ruleId: 'workflows-connection-authorized-by-human',
  severity: 'high',
  resource: { type: 'workflows_connection', id: 'slack/Acme Slack', name: 'Acme Slack' },
  owner: { id: '00u3carol', login: 'carol@acme.com', status: 'ACTIVE', kind: 'human', signals: [] },
  message: 'Workflows connection "Acme Slack" was last authorized by carol@acme.com, a person.',
  remediation: 'Reauthorize the connection as a service account.',
});

function digest(overrides: Partial<DigestInput> = {}): Digest {
  return buildDigest({ report: report(), changes: [], expiringSuppressions: [], ...overrides });
}

/** The email with its line wrapping undone, for asserting on sentences. */
function flat(text: string): string {
  return text.replace(/\s+/g, ' ');
}

/** What SNS counts, measured here independently of the digest module. */
function snsBytes(d: Digest): number {
  const message = JSON.stringify({ default: JSON.stringify(d.json), email: d.email });
  const attributes = Object.entries(d.attributes).reduce(
    (n, [k, v]) => n + Buffer.byteLength(k) + Buffer.byteLength('String') + Buffer.byteLength(v),
    0,
  );
  return Buffer.byteLength(message) + Buffer.byteLength(d.subject) + attributes;
}

const ordinary = (): Digest =>
  digest({
    report: report({}, [finding(), criticalToken, mediumAgent]),
    changes: [change('NEW', finding()), change('NEW', mediumAgent), change('NEW', criticalToken)],
  });

describe('the email', () => {
  it('lists the new critical violation first, naming its owner and its fix', () => {
    const email = flat(ordinary().email);
    const critical = email.indexOf('[CRITICAL] NEW: api-token-owner-not-active');
    expect(critical).toBeGreaterThan(0);
    expect(critical).toBeLessThan(email.indexOf('[HIGH] NEW: api-token-owner-is-human'));
    expect(email.indexOf('[HIGH]')).toBeLessThan(email.indexOf('[MEDIUM] NEW: ad-agent-not-operational'));
    const block = email.slice(critical, email.indexOf('[HIGH]'));
    expect(block).toContain('API token "Backup sync" (00T2backup)');
    expect(block).toContain('Owner: bob@acme.com (DEPROVISIONED, human)');
    expect(block).toContain('Fix: Recreate the token as an active service account and revoke this one.');
  });

  it('opens with the org, the scan id, the time and the status', () => {
    const [first, ...rest] = ordinary().email.split('\n');
    expect(first).toBe('Okta ownership scan of acme.okta.com');
    expect(rest.slice(0, 3)).toEqual([
      'Scan:     scan-20261128-0200',
      'Finished: 2026-11-28T02:00:00.000Z',
      'Status:   COMPLETE',
    ]);
  });

  it('marks a regressed violation and says when it was first seen', () => {
    const d = digest({ changes: [change('REGRESSED', criticalToken, '2026-09-01T02:00:00.000Z')] });
    expect(d.email).toContain('[CRITICAL] REGRESSED (first seen 2026-09-01): api-token-owner-not-active');
  });

  it('lists what was resolved, with its owner', () => {
    const d = digest({
      changes: [change('NEW', criticalToken), change('RESOLVED', resolvedWorkflow, '2026-10-02T02:00:00.000Z')],
    });
    const email = flat(d.email);
    const resolved = email.slice(email.indexOf('RESOLVED (1)'));
    expect(resolved).toContain('[HIGH] workflows-connection-authorized-by-human');
    expect(resolved).toContain('Workflows connection "Acme Slack" (slack/Acme Slack), owner carol@acme.com');
    expect(resolved).toContain('Failing from 2026-10-02 to 2026-11-28');
    expect(email.indexOf('NEW AND REGRESSED VIOLATIONS (1)')).toBeLessThan(email.indexOf('RESOLVED (1)'));
  });

  it('says how many violations are still open and where the full record is', () => {
    const d = digest({
      changes: [change('NEW', criticalToken)],
      openCount: 12,
      recordPointer: 'DynamoDB table ScanHistory, scan scan-20261128-0200',
    });
    const email = flat(d.email);
    expect(email).toContain('STILL OPEN 12 violations are still open, counting the new and regressed ones above.');
    expect(email).toContain('FULL RECORD DynamoDB table ScanHistory, scan scan-20261128-0200');
    expect(email.indexOf('STILL OPEN')).toBeLessThan(email.indexOf('FULL RECORD'));
  });

  it('puts what could not be read first in an incomplete scan, and says nothing there was resolved', () => {
    const d = digest({
      report: report({
        status: 'incomplete',
        errors: [
          {
            source: 'agentPools',
            message: 'Okta answered 403 Forbidden',
            requiredScope: 'okta.agentPools.read',
          },
          { source: 'systemLog', message: 'timed out after 3 retries' },
        ],
      }),
      changes: [change('NEW', criticalToken)],
    });
    const email = flat(d.email);
    const unread = email.indexOf('WHAT COULD NOT BE READ (2 sources)');
    expect(unread).toBeGreaterThan(0);
    expect(unread).toBeLessThan(email.indexOf('NEW AND REGRESSED VIOLATIONS'));
    expect(email).toContain('- agentPools: Okta answered 403 Forbidden Required scope: okta.agentPools.read');
    expect(email).toContain('- systemLog: timed out after 3 retries');
    expect(email).toContain('Nothing in these sources was marked resolved');
    expect(d.email).toContain('Status:   INCOMPLETE');
  });

  it('reports a scan that failed before it produced a report, from the scan it is about', () => {
    const d = buildDigest({
      report: null,
      scan: { scanId: 'scan-9', org: 'acme.okta.com', startedAt: SCAN_TIME, finishedAt: SCAN_TIME },
      changes: [],
      openCount: 4,
      expiringSuppressions: [],
      failure: 'Could not read the Okta secret',
    });
    expect(d.subject).toBe('[okta-scan] acme.okta.com: scan failed');
    expect(d.json).toMatchObject({ scanId: 'scan-9', status: 'failed', errors: [], counts: { open: 4, unknown: 0 } });
    expect(flat(d.email)).toContain('THE SCAN FAILED Could not read the Okta secret');
  });

  it('says why a failed scan failed and that nothing was marked resolved', () => {
    const d = digest({ failure: 'Okta kept answering 429 after 3 retries on /api/v1/users' });
    const email = flat(d.email);
    expect(email).toContain('THE SCAN FAILED Okta kept answering 429 after 3 retries on /api/v1/users');
    expect(email).toContain('nothing was marked resolved');
    expect(email).not.toContain('STILL OPEN');
    expect(d.email).toContain('Status:   FAILED');
  });

  it('lists suppressions that expire within 14 days, and only those', () => {
    const d = digest({
      changes: [change('NEW', criticalToken)],
      expiringSuppressions: [
        {
          ruleId: 'api-token-owner-is-human',
          resourceId: '00T9soon',
          reason: 'SIEM moves in Q1',
          expires: '2026-12-03',
        },
        { ruleId: 'api-token-owner-is-human', resourceId: '00T9later', reason: 'later', expires: '2027-03-01' },
        { ruleId: 'api-token-expiring', resourceId: '00T9gone', reason: 'lapsed', expires: '2026-11-20' },
      ],
    });
    const email = flat(d.email);
    expect(email).toContain(
      'SUPPRESSIONS EXPIRING WITHIN 14 DAYS (1) - api-token-owner-is-human on 00T9soon: expires 2026-12-03 ' +
        'Reason: SIEM moves in Q1',
    );
    expect(email).not.toContain('00T9later');
    expect(email).not.toContain('00T9gone');
    expect(d.json.expiringSuppressions.map((s) => s.resourceId)).toEqual(['00T9soon']);
  });

  it('keeps its lines within 80 columns', () => {
    const long = finding({ message: 'word '.repeat(80), remediation: 'step '.repeat(80) });
    const d = digest({
      report: report({ status: 'incomplete', errors: [{ source: 's', message: 'x '.repeat(90) }] }),
      changes: [change('NEW', long)],
    });
    for (const line of d.email.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
  });
  it('reads, as a whole, like this example', () => {
    const d = digest({
      report: report({
        status: 'incomplete',
        errors: [
          { source: 'agentPools', message: 'Okta answered 403 Forbidden', requiredScope: 'okta.agentPools.read' },
        ],
      }),
      changes: [
        change('NEW', finding()),
        change('NEW', criticalToken),
        change('REGRESSED', mediumAgent, '2026-09-01T02:00:00.000Z'),
        change('RESOLVED', resolvedWorkflow, '2026-10-02T02:00:00.000Z'),
      ],
      openCount: 7,
      expiringSuppressions: [
        {
          ruleId: 'api-token-owner-is-human',
          resourceId: '00T9soon',
          reason: 'SIEM moves in Q1',
          expires: '2026-12-03',
        },
      ],
      recordPointer: 'DynamoDB table ScanHistory, scan scan-20261128-0200',
    });
    expect(d.email).toMatchInlineSnapshot(`
      "Okta ownership scan of acme.okta.com
      Scan:     scan-20261128-0200
      Finished: 2026-11-28T02:00:00.000Z
      Status:   INCOMPLETE

      3 new or regressed violations (1 critical), 1 resolved, 7 still open.

      WHAT COULD NOT BE READ (1 source)
      - agentPools: Okta answered 403 Forbidden
        Required scope: okta.agentPools.read (grant it to the scanner's Okta app)
      Nothing in these sources was marked resolved: the rules that need them
      report UNKNOWN for what they could not see, and violations found there
      before stay open until a scan can read them again.

      NEW AND REGRESSED VIOLATIONS (3)
      - [CRITICAL] NEW: api-token-owner-not-active
        API token "Backup sync" (00T2backup)
        API token "Backup sync" belongs to bob@acme.com, who is DEPROVISIONED: it
        stops working at any time.
        Owner: bob@acme.com (DEPROVISIONED, human)
        Fix: Recreate the token as an active service account and revoke this one.
      - [HIGH] NEW: api-token-owner-is-human
        API token "SIEM export" (00T1siem)
        API token "SIEM export" is owned by alice@acme.com, a person rather than a
        service account.
        Owner: alice@acme.com (ACTIVE, human)
        Fix: Create a replacement token as a service account, move the integration
          to it, then revoke this one.
      - [MEDIUM] REGRESSED (first seen 2026-09-01): ad-agent-not-operational
        AD agent "DC01.corp.acme.com" (a53agent1)
        AD agent DC01.corp.acme.com is DISRUPTED.
        Owner: none recorded
        Fix: Restart the Okta AD Agent service on DC01 or reinstall it.

      WHO THESE DEPEND ON (2 people, most breaking first)
      - bob@acme.com (DEPROVISIONED, human): 1 integration, 1 critical
      - alice@acme.com (ACTIVE, human): 1 integration, 1 high

      RESOLVED (1)
      - [HIGH] workflows-connection-authorized-by-human
        Workflows connection "Acme Slack" (slack/Acme Slack), owner carol@acme.com
        (ACTIVE, human)
        Failing from 2026-10-02 to 2026-11-28

      STILL OPEN
      7 violations are still open, counting the new and regressed ones above.

      SUPPRESSIONS EXPIRING WITHIN 14 DAYS (1)
      - api-token-owner-is-human on 00T9soon: expires 2026-12-03
        Reason: SIEM moves in Q1
      Once a suppression expires, its finding is reported again. Renew it in the
      config with a new reason and date, or fix the finding.

      FULL RECORD
        DynamoDB table ScanHistory, scan scan-20261128-0200
      "
    `);
  });
});

describe('who the changes depend on', () => {
  const leaving = finding({
    id: 'f-leaving-1',
    ruleId: 'owner-leaving',
    severity: 'critical',
    resource: { type: 'api_token', id: '00T3hr', name: 'HR sync' },
    owner: { id: '00u4dan', login: 'dan@acme.com', status: 'ACTIVE', kind: 'human', signals: [] },
    message: 'API token "HR sync" runs on dan@acme.com, who leaves on 2026-12-04 (terminationDate).',
    remediation: 'Move the integration to a service account before 2026-12-04.',
  });

  it('lists an owner about to leave before the other new violations, however they sort', () => {
    const d = digest({ changes: [change('NEW', criticalToken), change('NEW', finding()), change('NEW', leaving)] });
    expect(d.json.violations.map((v) => v.ruleId)).toEqual([
      'owner-leaving',
      'api-token-owner-not-active',
      'api-token-owner-is-human',
    ]);
    expect(d.attributes.severity).toBe('critical');
    expect(d.subject).toContain('3 new violations (2 critical)');
  });

  it('names the people the new and regressed violations rest on, most breaking first, with the count of each severity', () => {
    const bobAgain = finding({ ...criticalToken, id: 'f-token-3', ruleId: 'api-token-owner-super-admin' });
    const d = digest({
      changes: [
        change('NEW', finding()),
        change('NEW', criticalToken),
        change('REGRESSED', bobAgain),
        change('RESOLVED', resolvedWorkflow),
      ],
    });
    const email = flat(d.email);
    expect(email).toContain(
      'WHO THESE DEPEND ON (2 people, most breaking first) - bob@acme.com (DEPROVISIONED, human): 1 integration, 2 critical - alice@acme.com (ACTIVE, human): 1 integration, 1 high',
    );
    // Carol's violation was resolved: nothing new rests on her.
    expect(email).not.toMatch(/- carol@acme\.com \(/);
    expect(d.json.people).toEqual([
      {
        owner: 'bob@acme.com',
        kind: 'human',
        status: 'DEPROVISIONED',
        integrations: 1,
        bySeverity: { critical: 2, high: 0, medium: 0, low: 0, info: 0 },
      },
      expect.objectContaining({ owner: 'alice@acme.com', integrations: 1 }),
    ]);
  });

  it('shows the top five and says how many more there are', () => {
    const changes = Array.from({ length: 7 }, (_, i) =>
      change(
        'NEW',
        finding({
          id: `f-${i}`,
          resource: { type: 'api_token', id: `00T${i}`, name: `Token ${i}` },
          owner: { id: `00u${i}`, login: `user${i}@acme.com`, status: 'ACTIVE', kind: 'human', signals: [] },
        }),
      ),
    );
    const d = digest({ changes });
    expect(d.json.people).toHaveLength(5);
    expect(flat(d.email)).toContain('WHO THESE DEPEND ON (7 people, most breaking first)');
    expect(flat(d.email)).toContain('… and 2 more: okta-scan people lists everyone.');
  });

  it('is left out when nothing new or regressed fails', () => {
    const d = digest({ changes: [change('RESOLVED', resolvedWorkflow), change('ONGOING', criticalToken)] });
    expect(d.email).not.toContain('WHO THESE DEPEND ON');
    expect(d.json.people).toEqual([]);
  });
});

describe('the subject', () => {
  it('counts new violations and the most severe of them', () => {
    expect(ordinary().subject).toBe('[okta-scan] acme.okta.com: 3 new violations (1 critical)');
  });

  it('says when violations were only resolved', () => {
    const d = digest({ changes: [change('RESOLVED', resolvedWorkflow), change('RESOLVED', criticalToken)] });
    expect(d.subject).toBe('[okta-scan] acme.okta.com: 2 violations resolved');
  });

  it('says how many sources an incomplete scan could not read', () => {
    const errors = [
      { source: 'agentPools', message: '403' },
      { source: 'systemLog', message: 'timeout' },
    ];
    const d = digest({ report: report({ status: 'incomplete', errors }) });
    expect(d.subject).toBe('[okta-scan] acme.okta.com: scan incomplete: 2 sources not read');
  });

  it('says when the scan failed', () => {
    expect(digest({ failure: 'boom' }).subject).toBe('[okta-scan] acme.okta.com: scan failed');
  });

  it('stays within 100 characters for a very long org name, cutting the org', () => {
    const org = `${'a-very-long-subdomain-name'.repeat(10)}.okta.com`;
    const errors = [{ source: 'agentPools', message: '403' }];
    const changes = [
      ...Array.from({ length: 12345 }, (_, i) => change('NEW', finding({ id: `n${i}` }))),
      ...Array.from({ length: 20 }, (_, i) => change('REGRESSED', finding({ id: `r${i}` }))),
      ...Array.from({ length: 7 }, (_, i) => change('RESOLVED', finding({ id: `x${i}` }))),
    ];
    const d = digest({ report: report({ org, status: 'incomplete', errors }), changes });
    expect(d.subject.length).toBeLessThanOrEqual(100);
    expect(d.subject).toMatch(/^\[okta-scan\] a-very-long-subdomain-name.*\.\.\.: 12365 new violations \(12365 high\)/);
    expect(d.subject).toContain('scan incomplete');
    expect(digest({ report: report({ org }), failure: 'x' }).subject.length).toBeLessThanOrEqual(100);
  });

  it('is plain ASCII even when the org name is not', () => {
    expect(digest({ report: report({ org: 'bücher.okta.com' }), failure: 'x' }).subject).toBe(
      '[okta-scan] b?cher.okta.com: scan failed',
    );
  });
});

describe('the attributes', () => {
  it('carry the org, the status and the highest new severity', () => {
    expect(ordinary().attributes).toEqual({ org: 'acme.okta.com', status: 'complete', severity: 'critical' });
  });

  it('say "none" when nothing new fails, however severe what is still open', () => {
    const d = digest({ changes: [change('ONGOING', criticalToken), change('RESOLVED', resolvedWorkflow)] });
    expect(d.attributes.severity).toBe('none');
  });

  it('count a regressed violation as new', () => {
    const d = digest({ changes: [change('NEW', mediumAgent), change('REGRESSED', finding())] });
    expect(d.attributes.severity).toBe('high');
  });

  it('say failed for a scan that crashed', () => {
    expect(digest({ failure: 'x' }).attributes.status).toBe('failed');
  });
});

describe('the JSON body', () => {
  it('lists each change with its id, rule, severity, resource, owner and state', () => {
    const d = digest({
      changes: [change('NEW', criticalToken), change('RESOLVED', resolvedWorkflow), change('ONGOING', mediumAgent)],
      recordPointer: 'DynamoDB table T, scan s1',
    });
    expect(d.json).toMatchObject({
      schemaVersion: 1,
      scanId: 'scan-20261128-0200',
      org: 'acme.okta.com',
      status: 'complete',
      errors: [],
      severity: 'critical',
      counts: { NEW: 1, REGRESSED: 0, RESOLVED: 1, ONGOING: 1 },
      violations: [
        {
          id: 'f-token-2',
          ruleId: 'api-token-owner-not-active',
          severity: 'critical',
          state: 'NEW',
          resource: { type: 'api_token', id: '00T2backup', name: 'Backup sync' },
          owner: 'bob@acme.com',
        },
      ],
      resolved: [{ id: 'f-wf-1', state: 'RESOLVED', owner: 'carol@acme.com' }],
      omitted: { violations: 0, resolved: 0 },
      recordPointer: 'DynamoDB table T, scan s1',
    });
  });
});

describe('shouldNotify', () => {
  const complete = report();

  it('stays quiet under "changes" when nothing changed', () => {
    expect(shouldNotify('changes', complete, [change('ONGOING', criticalToken)])).toBe(false);
  });

  it('speaks after every scan under "always"', () => {
    expect(shouldNotify('always', complete, [])).toBe(true);
  });

  it('speaks for an incomplete scan', () => {
    expect(shouldNotify('changes', report({ status: 'incomplete' }), [])).toBe(true);
  });

  it('speaks for a failed scan', () => {
    expect(shouldNotify('changes', null, [])).toBe(true);
  });

  it('speaks for a new, regressed or resolved violation', () => {
    expect(shouldNotify('changes', complete, [change('NEW', criticalToken)])).toBe(true);
    expect(shouldNotify('changes', complete, [change('REGRESSED', criticalToken)])).toBe(true);
    expect(shouldNotify('changes', complete, [change('RESOLVED', criticalToken)])).toBe(true);
  });

  it('does not count a new UNKNOWN as a violation', () => {
    const unknown = finding({ status: 'UNKNOWN' });
    expect(shouldNotify('changes', complete, [change('NEW', unknown)])).toBe(false);
  });
});

describe('the size limit', () => {
  const severities: Severity[] = ['critical', 'high', 'medium', 'low', 'info'];
  const many = (n: number, state: FindingState, text: string): FindingChange[] =>
    Array.from({ length: n }, (_, i) =>
      change(
        state,
        finding({
          id: `${state}-${i}`,
          severity: severities[i % 5],
          resource: { type: 'api_token', id: `00T${state}${i}`, name: `token ${i}` },
          message: `${text} ${i}`,
          remediation: text,
        }),
      ),
    );

  it('keeps a scan with 5,000 findings under 256 KB, saying how many more there are', () => {
    const text = 'A long explanation of what is wrong with this token and why it matters. '.repeat(30);
    const changes = [...many(4000, 'NEW', text), ...many(1000, 'RESOLVED', text)];
    const d = digest({
      report: report({}, changes.map((c) => c.finding) as Finding[]),
      changes,
      recordPointer: 'DynamoDB table ScanHistory, scan scan-20261128-0200',
    });
    expect(snsBytes(d)).toBeLessThanOrEqual(SNS_MAX_MESSAGE_BYTES);

    const more = flat(d.email).match(/… and (\d+) more violations, in the full record: DynamoDB table ScanHistory/);
    expect(more).not.toBeNull();
    const listed = (d.email.match(/^- \[\w+\] NEW/gm) ?? []).length;
    expect(listed + Number(more![1])).toBe(4000);
    expect(d.email).toContain('RESOLVED (1000)');

    expect(d.json.violations.length + d.json.omitted.violations).toBe(4000);
    expect(d.json.omitted.violations + d.json.omitted.resolved).toBeGreaterThan(0);
    // What is kept is the most severe.
    expect(d.json.violations.every((v) => v.severity === 'critical')).toBe(true);
    expect(d.json.counts).toMatchObject({ NEW: 4000, RESOLVED: 1000 });
  });

  it('cuts the email itself when its entries alone would not fit', () => {
    // 3 bytes a character in UTF-8: a hundred entries of this are well over 256 KB.
    const wide = '所有者が退職したトークンです。'.repeat(60);
    const changes = many(500, 'NEW', wide);
    const d = digest({ changes });
    expect(snsBytes(d)).toBeLessThanOrEqual(SNS_MAX_MESSAGE_BYTES);
    const listed = (d.email.match(/^- \[\w+\] NEW/gm) ?? []).length;
    expect(listed).toBeGreaterThan(10);
    expect(listed).toBeLessThan(100);
    expect(flat(d.email)).toContain(`… and ${500 - listed} more violations, in the full record: the scan history`);
  });

  it('keeps any digest under 256 KB, whatever its text and size', () => {
    const text = fc.string({ unit: 'binary', maxLength: 3000, size: 'max' });
    const state = fc.constantFrom<FindingState>('NEW', 'REGRESSED', 'RESOLVED');
    fc.assert(
      fc.property(
        fc.array(fc.tuple(text, text, state), { minLength: 1, maxLength: 20, size: 'max' }),
        fc.integer({ min: 0, max: 3000 }),
        fc.string({ unit: 'binary', maxLength: 400 }),
        (texts, count, org) => {
          const changes = Array.from({ length: count }, (_, i) => {
            const [message, name, state] = texts[i % texts.length];
            const resource = { type: 'app_user' as const, id: name, name };
            return change(state, finding({ id: `${i}`, message, remediation: message, resource }));
          });
          const errors = texts.map(([message, source]) => ({ source, message, requiredScope: source }));
          const d = digest({ report: report({ org, errors, status: 'incomplete' }), changes });
          return snsBytes(d) <= SNS_MAX_MESSAGE_BYTES && d.subject.length <= 100;
        },
      ),
      { numRuns: 15, seed: 5 },
    );
  });
});
