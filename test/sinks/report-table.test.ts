import { describe, expect, it } from 'vitest';
import { renderReportTable } from '../../lambda/sinks/report-table';
import { finding, sampleReport } from '../cli/report-schema';

const longName = 'A very long API token name that would never fit on one line of an eighty column terminal';

const report = sampleReport([
  finding({
    id: 'c',
    severity: 'critical',
    ruleId: 'api-token-owner-not-active',
    resource: { type: 'api_token', id: '00T9', name: 'Old export' },
  }),
  finding({ id: 'h', resource: { type: 'api_token', id: '00T8', name: longName } }),
  finding({ id: 'u', status: 'UNKNOWN', message: 'Agent pools could not be read (403).' }),
  finding({ id: 's', status: 'SUPPRESSED', suppression: { reason: 'migration', expires: '2027-01-31' } }),
  finding({ id: 'p1', status: 'PASS', resource: { type: 'api_token', id: '00T7', name: 'Passing token' } }),
]);

describe('table report writer', () => {
  it('fits every line in an 80-column terminal', () => {
    const text = renderReportTable(report, { width: 80 });
    for (const line of text.split('\n')) expect([...line].length).toBeLessThanOrEqual(80);
    expect(text).toContain('…');
  });

  it('lists FAIL by severity, then UNKNOWN, then SUPPRESSED, and counts PASS without listing it', () => {
    const text = renderReportTable(report, { width: 100 });
    const at = (s: string): number => text.indexOf(s);
    expect(at('FAIL · critical')).toBeGreaterThan(-1);
    expect(at('FAIL · critical')).toBeLessThan(at('FAIL · high'));
    expect(at('FAIL · high')).toBeLessThan(at('UNKNOWN'));
    expect(at('UNKNOWN')).toBeLessThan(at('SUPPRESSED ('));
    expect(text).not.toContain('Passing token');
    expect(text).toContain('1 PASS');
    expect(text).toContain('    Old export · alice@acme.com (human)');
  });

  it('shows under a token or Workflows finding when it was last used and what it changed, from where and with what', () => {
    const usage = sampleReport([
      finding({
        evidence: {
          lastUsedAt: '2026-11-25T12:40:00.000Z',
          usage: {
            changesInWindow: 1240,
            ipAddresses: ['192.0.2.3'],
            userAgents: ['Terraform/1.9.8 terraform-provider-okta/4.11.0'],
          },
        },
      }),
      finding({
        id: 'idle',
        resource: { type: 'api_token', id: '00T2', name: 'Idle token' },
        evidence: {
          lastUsedAt: '2026-10-30T10:00:00.000Z',
          usage: { changesInWindow: 0, ipAddresses: [], userAgents: [] },
        },
      }),
      finding({
        id: 'wf',
        ruleId: 'workflows-connection-authorized-by-human',
        resource: {
          type: 'workflows_connection',
          id: 'okta-used-by-workflows/00u1',
          name: 'Okta (used by Workflows as alice@acme.com)',
        },
        evidence: { lastUsedAt: '2026-11-22T09:30:00.000Z', eventCount: 3 },
      }),
    ]);
    const text = renderReportTable(usage, { width: 100 });
    expect(text).toContain(
      '    SIEM export · alice@acme.com (human)\n      last used 2026-11-25 · 1,240 logged changes from 192.0.2.3 with Terraform/1.9.8\n',
    );
    expect(text).toContain('    Idle token · alice@acme.com (human)\n      last used 2026-10-30\n');
    expect(text).toContain('      last used 2026-11-22 · 3 logged changes by Workflows\n');
  });

  it('adds no usage line where a finding has no usage evidence', () => {
    const text = renderReportTable(report, { width: 120 });
    expect(text).not.toContain('last used');
  });

  it("heads each rule's findings with its id and title, then one line per resource and owner", () => {
    const text = renderReportTable(report, { width: 120, ruleTitle: () => 'Token owner is a person' });
    expect(text).toContain('  api-token-owner-is-human · Token owner is a person\n    A very long API token name');
  });

  it('gives the reason of an UNKNOWN and the expiry and reason of a suppression', () => {
    const text = renderReportTable(report, { width: 120 });
    expect(text).toContain('SIEM export · Agent pools could not be read (403).');
    expect(text).toContain('SIEM export · alice@acme.com (human) · until 2027-01-31: migration');
  });

  it('says the scan is incomplete and which sources and scopes were missing', () => {
    const incomplete = {
      ...report,
      status: 'incomplete' as const,
      errors: [{ source: 'agentPools', message: 'HTTP 403', requiredScope: 'okta.agentPools.read' }],
    };
    const text = renderReportTable(incomplete, { width: 80 });
    expect(text).toContain('Scan INCOMPLETE');
    expect(text).toContain('agentPools (needs okta.agentPools.read): HTTP 403');
  });

  it('uses colour only when asked', () => {
    expect(renderReportTable(report)).not.toContain('\x1b[');
    expect(renderReportTable(report, { color: true })).toContain('\x1b[');
  });
});

describe('table report writer with --state-dir changes', () => {
  it('leads NEW and REGRESSED lines with the change, leaves ONGOING plain, and lists what was resolved', () => {
    const withChanges = sampleReport(
      [
        finding({ id: 'n', change: 'NEW', resource: { type: 'api_token', id: '00T1', name: 'New token' } }),
        finding({ id: 'r', change: 'REGRESSED', resource: { type: 'api_token', id: '00T2', name: 'Back again' } }),
        finding({ id: 'o', change: 'ONGOING', resource: { type: 'api_token', id: '00T3', name: 'Still there' } }),
      ],
      {
        resolved: [
          {
            id: 'x',
            ruleId: 'api-token-owner-is-human',
            resource: { type: 'api_token', id: '00T4', name: 'Fixed token' },
          },
        ],
      },
    );
    const text = renderReportTable(withChanges, { width: 100 });
    expect(text).toMatch(/^ {4}NEW New token · alice@acme\.com/m);
    expect(text).toMatch(/^ {4}REGRESSED Back again · /m);
    expect(text).toMatch(/^ {4}Still there · /m);
    expect(text).toMatch(/RESOLVED since the last scan \(1\)\n {4}Fixed token · api-token-owner-is-human/);
    expect(renderReportTable(report, { width: 100 })).not.toMatch(/RESOLVED since/);
  });
});
