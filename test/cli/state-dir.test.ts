import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOkta } from '../../fake-okta/server';
import type { FakeOkta } from '../../fake-okta/types';
import type { Report } from '../../lambda/domain/finding';
import { CONNECTION_ID, day, ledgerOrg, logSinces, SERVICE, workflowsEvent } from '../support/ledger-org';
import { reportSchemaProblems } from './report-schema';
import { runCli } from './run-cli';

// `okta-scan scan --state-dir DIR` against the fake Okta server whose log keeps the 90 days
// before --now: the ledger and the findings' history live in DIR between runs.

const TOKEN = 'state-dir-test-token-0123456789ab';
let okta: FakeOkta;
let clock = day(0);
let dir: string;

beforeAll(async () => {
  okta = await startFakeOkta({
    org: ledgerOrg(),
    credentials: { apiTokens: [{ token: TOKEN }] },
    logClock: () => clock.getTime(),
  });
  dir = mkdtempSync(join(tmpdir(), 'okta-scan-state-'));
});

afterAll(async () => {
  await okta.close();
  rmSync(dir, { recursive: true, force: true });
});

async function scanOn(n: number, stateDir: string, ...extra: string[]): Promise<{ code: number; report: Report }> {
  clock = day(n);
  okta.resetRequests();
  const run = await runCli([
    ...['--org-url', okta.url, '--token', TOKEN, '--now', clock.toISOString(), '--quiet', '--format', 'json'],
    ...['--state-dir', stateDir, ...extra],
  ]);
  expect(run.stderr).toBe('');
  return { code: run.code, report: JSON.parse(run.stdout) as Report };
}

const connectionFindings = (report: Report) =>
  report.findings.filter(
    (f) => f.ruleId === 'workflows-connection-authorized-by-human' && f.resource.id === CONNECTION_ID,
  );

describe('okta-scan scan --state-dir', () => {
  it('remembers a connection made on day 0 on day 200, marks findings NEW then ONGOING, and lists what was resolved', async () => {
    const state = join(dir, 'a');
    const first = await scanOn(10, state);
    expect(reportSchemaProblems(first.report)).toEqual([]);
    expect(connectionFindings(first.report)).toMatchObject([{ status: 'FAIL', change: 'NEW' }]);
    expect(first.report.findings.filter((f) => f.status === 'FAIL').every((f) => f.change === 'NEW')).toBe(true);
    expect(first.report.resolved).toEqual([]);

    const later = await scanOn(200, state);
    expect(connectionFindings(later.report)).toMatchObject([{ status: 'FAIL', change: 'ONGOING' }]);

    okta.org.logs.push(workflowsEvent('reauthorize', day(205), SERVICE, 'state-dir-reauth-0001'));
    try {
      const fixed = await scanOn(210, state);
      // Day 200 to 210 is read from the cursor, less the overlap.
      expect(logSinces(okta.requests)).toHaveLength(1);
      expect(logSinces(okta.requests)[0] > day(199).toISOString()).toBe(true);
      expect(connectionFindings(fixed.report)).toMatchObject([{ status: 'PASS' }]);
      expect(connectionFindings(fixed.report)[0].change).toBeUndefined();
      expect(fixed.report.resolved).toContainEqual({
        id: connectionFindings(fixed.report)[0].id,
        ruleId: 'workflows-connection-authorized-by-human',
        resource: connectionFindings(fixed.report)[0].resource,
      });
    } finally {
      okta.org.logs = okta.org.logs.filter((e) => e.uuid !== 'state-dir-reauth-0001');
    }
  });

  it('shows NEW in the table for a first scan', async () => {
    clock = day(10);
    const run = await runCli([
      ...['--org-url', okta.url, '--token', TOKEN, '--now', clock.toISOString(), '--quiet', '--format', 'table'],
      ...['--state-dir', join(dir, 'table')],
    ]);
    expect(run.stdout).toMatch(/^ {4}NEW Okta – ledger test \(Carol\)/m);
  });

  it('stays stateless without --state-dir: no change, no resolved list', async () => {
    clock = day(10);
    const run = await runCli([
      '--org-url',
      okta.url,
      '--token',
      TOKEN,
      '--now',
      clock.toISOString(),
      '-q',
      '--format',
      'json',
    ]);
    const report = JSON.parse(run.stdout) as Report;
    expect(report.findings.some((f) => f.change !== undefined)).toBe(false);
    expect(report).not.toHaveProperty('resolved');
  });

  it('refuses a state dir that is a file, or one given with --from-inventory, before any request', async () => {
    const file = join(dir, 'a-file');
    writeFileSync(file, 'x');
    okta.resetRequests();
    const asFile = await runCli(['--org-url', okta.url, '--token', TOKEN, '--state-dir', file]);
    expect(asFile.code).toBe(2);
    expect(asFile.stderr).toMatch(/--state-dir .*a-file is a file, not a folder/);
    const withInventory = await runCli(['--from-inventory', file, '--state-dir', dir]);
    expect(withInventory.code).toBe(2);
    expect(withInventory.stderr).toMatch(/--state-dir does not apply with --from-inventory/);
    expect(okta.requests).toHaveLength(0);
    expect(readdirSync(dir)).not.toContain('whatever');
  });
});

describe('okta-scan --demo --state-dir', () => {
  it("finds the demo's old Workflows connection only through a ledger a first scan seeded", async () => {
    const state = join(dir, 'demo');
    const name = 'Okta – sandbox (Dave)';
    const json = async (...extra: string[]): Promise<Report> =>
      JSON.parse((await runCli(['--demo', '-q', '--format', 'json', ...extra])).stdout) as Report;
    // Made on 2026-07-15: outside the 90 days before the demo's date.
    expect((await json()).findings.some((f) => f.resource.name === name)).toBe(false);
    const seeded = await json('--now', '2026-07-20T00:00:00Z', '--state-dir', state);
    expect(seeded.findings.some((f) => f.resource.name === name && f.status === 'FAIL')).toBe(true);
    const now = await json('--state-dir', state);
    const found = now.findings.filter(
      (f) => f.resource.name === name && f.ruleId === 'workflows-connection-authorized-by-human',
    );
    expect(found).toMatchObject([
      { status: 'FAIL', change: 'ONGOING', evidence: { lastAuthorizedAt: '2026-07-15T13:00:00.000Z' } },
    ]);
  });
});
