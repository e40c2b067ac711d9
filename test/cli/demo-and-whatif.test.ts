import { beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../lambda/domain/finding';
import type { WhatIfReport } from '../../lambda/domain/whatif';
import { getRule, RULES } from '../../lambda/rules';
import { WHATIF_CSV_COLUMNS } from '../../lambda/sinks/report-csv';
import { reportSchemaProblems } from './report-schema';
import { runCli, visibleWidth } from './run-cli';

// `okta-scan --demo` is the product's promise (README.md, "Try it"): every rule fails at least once
// on the demo org.

const SIGN_IN_ONLY_ORG2ORG = '0oaO2oPartnrSso7d1Qx';
const IMPORT_ONLY_ORG2ORG = '0oaO2oLatamImp4Fh8Zk';
// These run the sources; test/cli-built runs the built command, as `npx okta-scan` does.

let demo: Report;
/** The demo owner on whom the most failing integrations depend. */
let busiestOwner: { id: string; login: string; resources: Set<string> };

beforeAll(async () => {
  const run = await runCli(['--demo', '--format', 'json', '--quiet']);
  demo = JSON.parse(run.stdout) as Report;
  const byOwner = new Map<string, { id: string; login: string; resources: Set<string> }>();
  for (const f of demo.findings) {
    if (f.status !== 'FAIL' || !f.owner?.login) continue;
    const entry = byOwner.get(f.owner.id) ?? { id: f.owner.id, login: f.owner.login, resources: new Set<string>() };
    entry.resources.add(`${f.resource.type}:${f.resource.id}`);
    byOwner.set(f.owner.id, entry);
  }
  busiestOwner = [...byOwner.values()].sort((a, b) => b.resources.size - a.resources.size)[0];
});

describe('okta-scan --demo', () => {
  it('reports a FAIL for every rule in the catalogue', () => {
    const failing = new Set(demo.findings.filter((f) => f.status === 'FAIL').map((f) => f.ruleId));
    const missing = RULES.map((r) => r.id).filter((id) => !failing.has(id));
    expect(missing).toEqual([]);
  });

  it('names on every finding the controls its rule maps to, so a token FAIL cites the STIG (issue 15)', () => {
    for (const f of demo.findings) expect(f.compliance, f.id).toEqual(getRule(f.ruleId)?.compliance);
    const cited = (ruleId: string): string[] =>
      demo.findings
        .filter((f) => f.ruleId === ruleId && f.status === 'FAIL')
        .flatMap((f) => f.compliance ?? [])
        .map((c) => c.control);
    expect(cited('api-token-owner-is-human')).toContain('V-279690');
    expect(cited('api-token-unrestricted-network')).toContain('V-279689');
  });

  it('says nothing about an Org2Org app used for sign-in only, and passes one used for import only (issue 18)', () => {
    const verdicts = (appId: string): string[] =>
      demo.findings
        .filter((f) => f.resource.id === appId || f.resource.id.startsWith(`${appId}/`))
        .map((f) => `${f.ruleId} ${f.status}`)
        .sort();
    expect(verdicts(SIGN_IN_ONLY_ORG2ORG)).toEqual([]);
    expect(verdicts(IMPORT_ONLY_ORG2ORG)).toEqual([
      'org2org-token-auth PASS',
      'owner-inactive PASS',
      'owner-leaving PASS',
      'provisioning-auth-failing PASS',
      'provisioning-authorized-by-human PASS',
    ]);
  });

  it('produces a complete report that fits the public schema', () => {
    expect(reportSchemaProblems(demo)).toEqual([]);
    expect(demo.status).toBe('complete');
  });
});

describe('okta-scan whatif', () => {
  it('lists every integration that depends on a user who owns several', async () => {
    expect(busiestOwner.resources.size).toBeGreaterThan(1);
    const run = await runCli(['whatif', '--demo', '--user', busiestOwner.login, '--format', 'json', '--quiet']);
    const answer = JSON.parse(run.stdout) as WhatIfReport;
    expect(run.code).toBe(0);
    expect(answer.found).toBe(true);
    expect(answer.user?.id).toBe(busiestOwner.id);
    const impacted = new Set(answer.impacts.map((i) => `${i.resource.type}:${i.resource.id}`));
    expect(impacted.size).toBeGreaterThan(1);
    for (const impact of answer.impacts) {
      expect(impact.what.length).toBeGreaterThan(0);
      expect(impact.firstStep.length).toBeGreaterThan(0);
    }
  });

  it('finds the same user by id as by login', async () => {
    const byId = await runCli(['whatif', '--demo', '--user', busiestOwner.id, '--format', 'json', '--quiet']);
    const byLogin = await runCli(['whatif', '--demo', '--user', busiestOwner.login, '--format', 'json', '--quiet']);
    expect((JSON.parse(byId.stdout) as WhatIfReport).impacts).toEqual(
      (JSON.parse(byLogin.stdout) as WhatIfReport).impacts,
    );
  });

  it('prints the user and, per integration, what breaks and what to do first, as a table', async () => {
    const run = await runCli(['whatif', '--demo', '--user', busiestOwner.login, '--quiet'], { tty: true, columns: 80 });
    expect(run.stdout).toContain(busiestOwner.login);
    expect(run.stdout).toContain('breaks:');
    expect(run.stdout).toContain('first:');
    for (const line of run.stdout.split('\n')) expect(visibleWidth(line)).toBeLessThanOrEqual(80);
  });

  it('writes one CSV row per impacted integration', async () => {
    const run = await runCli(['whatif', '--demo', '--user', busiestOwner.login, '--format', 'csv', '--quiet']);
    const rows = run.stdout.split('\r\n').filter((l) => l.length > 0);
    expect(rows[0]).toBe(WHATIF_CSV_COLUMNS.join(','));
    expect(rows.length).toBeGreaterThan(2);
  });

  it('says plainly when no user matches', async () => {
    const json = await runCli(['whatif', '--demo', '--user', 'nobody@example.com', '--format', 'json', '--quiet']);
    const answer = JSON.parse(json.stdout) as WhatIfReport;
    expect(json.code).toBe(0);
    expect(answer.found).toBe(false);
    expect(answer.impacts).toEqual([]);
    const table = await runCli(['whatif', '--demo', '--user', 'nobody@example.com', '--format', 'table', '--quiet']);
    expect(table.stdout).toContain('No user matching "nobody@example.com"');
  });
});
