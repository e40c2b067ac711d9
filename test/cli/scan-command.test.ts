import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadOrg, startFakeOkta } from '../../fake-okta/server';
import type { FakeOkta } from '../../fake-okta/types';
import type { Report } from '../../lambda/domain/finding';
import type { Rule } from '../../lambda/domain/rule';
import { RULES } from '../../lambda/rules';
import { REPORT_CSV_COLUMNS } from '../../lambda/sinks/report-csv';
import { serviceAppKey } from '../support/service-app-keys';
import { reportSchemaProblems } from './report-schema';
import { runCli, visibleWidth } from './run-cli';

// okta-scan end to end: the real CLI entry, the real client, the fake org over loopback HTTP.

const TOKEN = 'ssws-test-token-0123456789abcdef';
const CLIENT_ID = '0oaScannerServiceApp';
const key = serviceAppKey('trusted');
const READ_SCOPES = [
  'okta.apiTokens.read',
  'okta.agentPools.read',
  'okta.apps.read',
  'okta.logs.read',
  'okta.users.read',
  'okta.groups.read',
  'okta.roles.read',
  'okta.networkZones.read',
];

let okta: FakeOkta;
let asOf: string;
let dir: string;

beforeAll(async () => {
  const org = loadOrg('demo');
  asOf = org.asOf;
  okta = await startFakeOkta({
    org,
    credentials: {
      apiTokens: [{ token: TOKEN }],
      serviceApps: [{ clientId: CLIENT_ID, publicJwk: key.publicJwk, scopes: READ_SCOPES }],
    },
  });
  dir = mkdtempSync(join(tmpdir(), 'okta-scan-cli-'));
});

afterAll(async () => {
  await okta.close();
  rmSync(dir, { recursive: true, force: true });
});

afterEach(() => {
  okta.clearFaults();
  okta.resetRequests();
});

function ssws(...extra: string[]): string[] {
  return ['--org-url', okta.url, '--token', TOKEN, '--now', asOf, '--quiet', ...extra];
}

function parseReport(stdout: string): Report {
  return JSON.parse(stdout) as Report;
}

describe('okta-scan scan (SSWS token)', () => {
  it('prints a JSON report that fits the public schema when stdout is not a terminal', async () => {
    const run = await runCli(ssws());
    const report = parseReport(run.stdout);
    expect(reportSchemaProblems(report)).toEqual([]);
    expect(report.org).toBe(new URL(okta.url).host);
    expect(report.status).toBe('complete');
    expect(run.code).toBe(1);
    expect(okta.requests.every((r) => r.auth === 'SSWS')).toBe(true);
  });

  it('gives every scan its own id', async () => {
    const [a, b] = await Promise.all([runCli(ssws()), runCli(ssws())]);
    expect(parseReport(a.stdout).scanId).not.toBe(parseReport(b.stdout).scanId);
  });

  it('prints a table by default on a terminal, in 80 columns, with the summary at the end', async () => {
    const run = await runCli(ssws(), { tty: true, columns: 80 });
    expect(run.stdout).toContain('FAIL · critical');
    expect(run.stdout).toMatch(/Findings: \d+ FAIL · \d+ PASS/);
    expect(run.stdout).toContain('Scan complete');
    for (const line of run.stdout.split('\n')) expect(visibleWidth(line)).toBeLessThanOrEqual(80);
  });

  it('colours the table on a terminal unless NO_COLOR is set', async () => {
    expect((await runCli(ssws('--format', 'table'), { tty: true })).stdout).toContain('\x1b[');
    expect((await runCli(ssws('--format', 'table'), { tty: true, env: { NO_COLOR: '1' } })).stdout).not.toContain(
      '\x1b[',
    );
    expect((await runCli(ssws('--format', 'table'))).stdout).not.toContain('\x1b[');
  });

  it('writes CSV with the documented header and one row per finding', async () => {
    const json = parseReport((await runCli(ssws())).stdout);
    const run = await runCli(ssws('--format', 'csv'));
    const lines = run.stdout.split('\r\n').filter((l) => l.length > 0);
    expect(lines[0]).toBe(REPORT_CSV_COLUMNS.join(','));
    expect(run.stdout.split('\r\n').length - 2).toBeGreaterThanOrEqual(json.findings.length);
    for (const f of json.findings) expect(run.stdout).toContain(f.id);
  });

  it('writes the report to --output and nothing to stdout', async () => {
    const file = join(dir, 'report.json');
    const run = await runCli(ssws('--output', file));
    expect(run.stdout).toBe('');
    expect(reportSchemaProblems(JSON.parse(readFileSync(file, 'utf8')))).toEqual([]);
  });

  it('exits 3 with the source and its scope when agent pools cannot be read', async () => {
    okta.fault({ route: '/api/v1/agentPools', fault: { kind: 'status', status: 403 } });
    const run = await runCli(ssws());
    const report = parseReport(run.stdout);
    expect(run.code).toBe(3);
    expect(report.status).toBe('incomplete');
    expect(report.errors).toContainEqual(
      expect.objectContaining({ source: 'agentPools', requiredScope: 'okta.agentPools.read' }),
    );
    const agentFindings = report.findings.filter((f) => f.resource.type === 'ad_agent');
    expect(agentFindings.every((f) => f.status !== 'PASS')).toBe(true);
    expect(reportSchemaProblems(report)).toEqual([]);
  });

  it('exits 3, still printing what it could read, when the System Log keeps failing', async () => {
    okta.fault({ route: '/api/v1/logs', fault: { kind: 'status', status: 500 } });
    const run = await runCli(ssws());
    const report = parseReport(run.stdout);
    expect(run.code).toBe(3);
    // It gave up only after backing off 1 s, then 2 s (waits asked for, not slept: see runCli).
    expect(run.waits).toEqual(expect.arrayContaining([1000, 2000]));
    expect(report.errors.map((e) => e.requiredScope)).toContain('okta.logs.read');
    expect(report.findings.some((f) => f.ruleId === 'api-token-owner-is-human' && f.status === 'FAIL')).toBe(true);
  });

  it('exit 3 wins over FAIL findings', async () => {
    okta.fault({ route: '/api/v1/agentPools', fault: { kind: 'status', status: 403 } });
    const run = await runCli(ssws('--fail-on', 'info'));
    expect(parseReport(run.stdout).summary.byStatus.FAIL).toBeGreaterThan(0);
    expect(run.code).toBe(3);
  });

  it('exits 1 when a FAIL is at or above --fail-on, and 0 when every FAIL is below it', async () => {
    const high = await runCli(ssws('--rules', 'api-token-owner-is-human', '--fail-on', 'high'));
    expect(parseReport(high.stdout).summary.failBySeverity.high).toBeGreaterThan(0);
    expect(high.code).toBe(1);
    const critical = await runCli(ssws('--rules', 'api-token-owner-is-human', '--fail-on', 'critical'));
    expect(critical.code).toBe(0);
  });

  it('runs only the rules named by --rules', async () => {
    const run = await runCli(ssws('--rules', 'api-token-owner-is-human,api-token-unrestricted-network'));
    const ruleIds = new Set(parseReport(run.stdout).findings.map((f) => f.ruleId));
    expect([...ruleIds].sort()).toEqual(['api-token-owner-is-human', 'api-token-unrestricted-network']);
    expect(okta.requests.some((r) => r.path.startsWith('/api/v1/agentPools'))).toBe(false);
  });

  it('exits 0 when the selected rule passes everywhere', async () => {
    const org = loadOrg('demo');
    // Every token restricted to the corporate network zone: api-token-unrestricted-network has nothing to say.
    const corporate = org.zones?.find((z) => z.name === 'Corporate network')?.id;
    for (const token of org.apiTokens) token.network = { connection: 'ZONE', include: [corporate], exclude: [] };
    const clean = await startFakeOkta({ org, credentials: { apiTokens: [{ token: TOKEN }] } });
    try {
      const run = await runCli([
        ...['--org-url', clean.url, '--token', TOKEN, '--now', asOf, '--quiet'],
        ...['--rules', 'api-token-unrestricted-network'],
      ]);
      const report = parseReport(run.stdout);
      expect(report.summary.byStatus.FAIL).toBe(0);
      expect(report.summary.byStatus.PASS).toBeGreaterThan(0);
      expect(run.code).toBe(0);
    } finally {
      await clean.close();
    }
  });

  it('reads the connection from the environment, and a flag wins over its variable', async () => {
    const fromEnv = await runCli(['--now', asOf, '--quiet'], {
      env: { OKTA_ORG_URL: okta.url, OKTA_API_TOKEN: TOKEN },
    });
    expect(fromEnv.code).toBe(1);
    const flagWins = await runCli(['--org-url', okta.url, '--now', asOf, '--quiet'], {
      env: { OKTA_ORG_URL: 'https://other.okta.com', OKTA_API_TOKEN: TOKEN },
    });
    expect(parseReport(flagWins.stdout).org).toBe(new URL(okta.url).host);
  });

  it('shows progress on stderr as plain lines in a log, a live line on a terminal, nothing with --quiet', async () => {
    const args = ['--org-url', okta.url, '--token', TOKEN, '--now', asOf];
    const log = await runCli(args);
    expect(log.stderr.split('\n').length).toBeGreaterThan(2);
    expect(log.stderr).not.toContain('\r');
    const tty = await runCli(args, { stderrTty: true });
    expect(tty.stderr).toContain('\r');
    const quiet = await runCli([...args, '--quiet']);
    expect(quiet.stderr).toBe('');
    expect(JSON.parse(log.stdout).schemaVersion).toBe(1);
  });
});

describe('okta-scan scan (OAuth service app)', () => {
  it('scans with --client-id and --private-key-file and never uses an SSWS token', async () => {
    const keyFile = join(dir, 'key.pem');
    writeFileSync(keyFile, key.privateKeyPem);
    const run = await runCli([
      ...['--org-url', okta.url, '--client-id', CLIENT_ID, '--private-key-file', keyFile],
      ...['--key-id', key.kid, '--now', asOf],
    ]);
    expect(run.code, run.stderr).toBe(1);
    expect(reportSchemaProblems(parseReport(run.stdout))).toEqual([]);
    expect(okta.requests.some((r) => r.path === '/oauth2/v1/token')).toBe(true);
    expect(okta.requests.some((r) => r.auth === 'SSWS')).toBe(false);
    for (const line of key.privateKeyPem.split('\n').filter((l) => l.length > 20)) {
      expect(run.stdout + run.stderr).not.toContain(line);
    }
  });

  it('takes the key text from OKTA_PRIVATE_KEY', async () => {
    const run = await runCli(['--now', asOf, '--quiet'], {
      env: {
        OKTA_ORG_URL: okta.url,
        OKTA_CLIENT_ID: CLIENT_ID,
        OKTA_PRIVATE_KEY: key.privateKeyPem,
        OKTA_KEY_ID: key.kid,
      },
    });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(1);
  });
});

describe('suppressions', () => {
  async function firstFail(): Promise<Report['findings'][number]> {
    const report = parseReport((await runCli(ssws())).stdout);
    const fail = report.findings.find((f) => f.status === 'FAIL');
    if (!fail) throw new Error('the demo org has no FAIL');
    return fail;
  }

  function configWith(expires: string, ruleId: string, resourceId: string): string {
    const file = join(dir, `config-${expires}.json`);
    writeFileSync(
      file,
      JSON.stringify({ suppressions: [{ ruleId, resourceId, reason: 'migration ticket 42', expires }] }),
    );
    return file;
  }

  it('shows an active suppression as SUPPRESSED instead of FAIL', async () => {
    const fail = await firstFail();
    const config = configWith('2099-01-01', fail.ruleId, fail.resource.id);
    const report = parseReport((await runCli(ssws('--config', config))).stdout);
    const same = report.findings.find((f) => f.id === fail.id);
    expect(same?.status).toBe('SUPPRESSED');
    expect(same?.suppression?.reason).toBe('migration ticket 42');
    expect(reportSchemaProblems(report)).toEqual([]);
  });

  it('no longer hides a FAIL once the suppression expired, and warns on stderr', async () => {
    const fail = await firstFail();
    const config = configWith('2020-01-01', fail.ruleId, fail.resource.id);
    const run = await runCli(ssws('--config', config));
    expect(parseReport(run.stdout).findings.find((f) => f.id === fail.id)?.status).toBe('FAIL');
    expect(run.stderr).toContain('expired');
    expect(run.stderr).toContain(fail.resource.id);
  });
});

describe('inventories', () => {
  it('gives the same findings when a saved inventory is replayed offline', async () => {
    const file = join(dir, 'inventory.json');
    const live = await runCli(ssws('--save-inventory', file));
    okta.resetRequests();
    const replay = await runCli(['--from-inventory', file, '--now', asOf, '--quiet']);
    expect(okta.requests).toHaveLength(0);
    expect(replay.code).toBe(live.code);
    const strip = (r: Report): unknown => r.findings;
    expect(strip(parseReport(replay.stdout))).toEqual(strip(parseReport(live.stdout)));
  });
});

describe('the rule catalogue', () => {
  it('lists every rule as a table and as JSON', async () => {
    const table = await runCli(['rules']);
    const json = await runCli(['rules', '--format', 'json']);
    expect(table.code).toBe(0);
    for (const rule of RULES) expect(table.stdout).toContain(rule.id);
    const parsed = JSON.parse(json.stdout) as { id: string; severity: string; requiredScopes: string[] }[];
    expect(parsed.map((r) => r.id)).toEqual(RULES.map((r) => r.id));
    expect(parsed.every((r) => r.requiredScopes.length > 0)).toBe(true);
  });

  it('shows the compliance controls each rule maps to, in the table and in JSON (issue 15)', async () => {
    const table = await runCli(['rules', '--format', 'table']);
    const json = JSON.parse((await runCli(['rules', '--format', 'json'])).stdout) as Pick<Rule, 'id' | 'compliance'>[];
    const mapped = RULES.filter((r) => r.compliance.length > 0);
    expect(mapped.length).toBeGreaterThan(0);
    for (const rule of mapped) {
      for (const ref of rule.compliance) expect(table.stdout.replace(/\s+/g, ' ')).toContain(ref.control);
      expect(json.find((r) => r.id === rule.id)?.compliance).toEqual(rule.compliance);
    }
  });
});
