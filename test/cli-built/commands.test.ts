import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadOrg, startFakeOkta } from '../../fake-okta/server';
import type { FakeOkta } from '../../fake-okta/types';
import type { Report } from '../../lambda/domain/finding';
import type { PeopleReport } from '../../lambda/domain/people';
import type { WhatIfReport } from '../../lambda/domain/whatif';
import { RULES } from '../../lambda/rules';
import { peopleSchemaProblems } from '../cli/people-schema';
import { reportSchemaProblems } from '../cli/report-schema';
import { HTML_404_FOR_CONNECTIONS, startOktaProxy } from '../faults/support/okta-proxy';
import { ensureCliBuilt, ROOT, runBuiltCli } from '../support/built-cli';

// The built command, run as users run it (`node bin/okta-scan.js`, i.e. `npx okta-scan`): the
// bundle in dist/, not the TypeScript sources that test/cli runs.

const RECORDER = join(__dirname, 'record-loaded-files.cjs');
const SDK_FILE = join(ROOT, 'dist', 'okta-sdk.js');
const ruleIds = RULES.map((r) => r.id).sort();

let dir: string;
let demo: Report;

/** The files the command loaded through require(), listed by a preload as the process exits. */
async function filesLoadedBy(args: string[]): Promise<{ code: number | null; files: string[] }> {
  const out = join(dir, `loaded-${Math.random().toString(36).slice(2)}.json`);
  const run = await runBuiltCli(args, { nodeArgs: ['--require', RECORDER], env: { OKTA_SCAN_LOADED_FILES: out } });
  return { code: run.code, files: JSON.parse(readFileSync(out, 'utf8')) as string[] };
}

beforeAll(async () => {
  ensureCliBuilt();
  dir = mkdtempSync(join(tmpdir(), 'okta-scan-built-'));
  const run = await runBuiltCli(['--demo', '--format', 'json', '--quiet']);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(1);
  demo = JSON.parse(run.stdout) as Report;
}, 120_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the built okta-scan', () => {
  it('--version prints the package version', async () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    const run = await runBuiltCli(['--version']);
    expect(run).toEqual({ code: 0, stdout: `${pkg.version}\n`, stderr: '' });
  });

  it('--help lists the four commands and the exit codes', async () => {
    const run = await runBuiltCli(['--help']);
    expect(run.code).toBe(0);
    for (const text of ['okta-scan [scan]', 'okta-scan whatif', 'okta-scan people', 'okta-scan rules', 'Exit codes']) {
      expect(run.stdout).toContain(text);
    }
  });

  it('rules prints every rule of the catalogue as a table and as JSON', async () => {
    const table = await runBuiltCli(['rules', '--format', 'table']);
    expect(table.code).toBe(0);
    for (const id of ruleIds) expect(table.stdout).toContain(id);
    const json = await runBuiltCli(['rules', '--format', 'json']);
    expect(json.code).toBe(0);
    const rules = JSON.parse(json.stdout) as { id: string; requiredScopes: string[] }[];
    expect(rules.map((r) => r.id).sort()).toEqual(ruleIds);
    for (const rule of rules) expect(rule.requiredScopes.length).toBeGreaterThan(0);
  });

  it('refuses an unknown flag with exit 2, naming it', async () => {
    const run = await runBuiltCli(['--colour']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--colour');
    expect(run.stdout).toBe('');
  });

  it('loads the Okta SDK only for a command that reads an org, not for a usage error', async () => {
    const withoutOrg: [string[], number][] = [
      [['--version'], 0],
      [['--help'], 0],
      [['rules'], 0],
      [['rules', '--format', 'json'], 0],
      [['--colour'], 2],
      [['--demo', '--fail-on', 'severe'], 2],
      [['whatif', '--demo'], 2],
      [['--org-url', 'http://acme.okta.com', '--token', 'x-token-value'], 2],
    ];
    for (const [args, exitCode] of withoutOrg) {
      const { code, files } = await filesLoadedBy(args);
      expect(code, args.join(' ')).toBe(exitCode);
      expect(files, args.join(' ')).not.toContain(SDK_FILE);
    }
    // The same probe sees the SDK when a scan does load it.
    const scanned = await filesLoadedBy(['--demo', '--quiet', '--format', 'json']);
    expect(scanned.code).toBe(1);
    expect(scanned.files).toContain(SDK_FILE);
  });

  it('--demo exits 1 with a complete report in which every rule fails, even behind a proxy', async () => {
    expect(reportSchemaProblems(demo)).toEqual([]);
    expect(demo.status).toBe('complete');
    const failing = new Set(demo.findings.filter((f) => f.status === 'FAIL').map((f) => f.ruleId));
    expect(ruleIds.filter((id) => !failing.has(id))).toEqual([]);
    // A proxy that cannot reach loopback, as on many company machines: the demo must not use it.
    const proxied = await runBuiltCli(['--demo', '--format', 'json'], { env: { HTTPS_PROXY: 'http://127.0.0.1:9' } });
    expect(proxied.code).toBe(1);
    expect(proxied.stderr).not.toMatch(/Error|at .*\.js:/);
    const report = JSON.parse(proxied.stdout) as Report;
    expect(new Set(report.findings.map((f) => f.id))).toEqual(new Set(demo.findings.map((f) => f.id)));
  });

  it('people --demo ranks who the demo integrations run on, the leaver and the suspended owner among the first (issue 14)', async () => {
    const run = await runBuiltCli(['people', '--demo', '--format', 'json', '--quiet']);
    expect(run.code).toBe(0);
    const people = JSON.parse(run.stdout) as PeopleReport;
    expect(peopleSchemaProblems(people)).toEqual([]);
    const rankOf = (login: string): number => people.people.findIndex((p) => p.login === login);
    const firstWithoutCritical = people.people.findIndex((p) => p.breaks.critical === 0);
    for (const login of ['dave.okafor@acme.com', 'erin.lee@acme.com', 'ivan.petrov@acme.com']) {
      expect(rankOf(login), login).toBeGreaterThanOrEqual(0);
      expect(rankOf(login), login).toBeLessThan(firstWithoutCritical);
    }
    expect(people.people.find((p) => p.login === 'dave.okafor@acme.com')?.leaving).toEqual({ reason: 'group Leavers' });
  });

  it('whatif --demo --user lists what depends on a demo user', async () => {
    const owner = demo.findings.find((f) => f.status === 'FAIL' && f.owner?.login)!.owner!;
    const run = await runBuiltCli(['whatif', '--demo', '--user', owner.login!, '--format', 'json', '--quiet']);
    expect(run.code).toBe(0);
    const answer = JSON.parse(run.stdout) as WhatIfReport;
    expect(answer.found).toBe(true);
    expect(answer.user?.id).toBe(owner.id);
    expect(answer.impacts.length).toBeGreaterThan(0);
  });

  it('--demo --format html and --format ocsf write the page and the events from the bundle', async () => {
    const html = await runBuiltCli(['--demo', '--format', 'html', '--quiet']);
    expect(html.code).toBe(1);
    expect(html.stderr).toBe('');
    expect(html.stdout).toMatch(/^<!doctype html>[\s\S]*<\/html>\n$/);
    for (const f of demo.findings.filter((x) => x.status === 'FAIL'))
      expect(html.stdout).toContain(`data-id="${f.id}"`);
    const ocsf = await runBuiltCli(['--demo', '--format', 'ocsf', '--quiet']);
    expect(ocsf.code).toBe(1);
    const events = JSON.parse(ocsf.stdout) as { class_uid: number; finding_info: { uid: string } }[];
    expect(events.map((e) => e.finding_info.uid).sort()).toEqual(demo.findings.map((f) => f.id).sort());
    expect(new Set(events.map((e) => e.class_uid))).toEqual(new Set([2003]));
  });
});

describe('the built okta-scan against an Okta org that refuses its token', () => {
  const goodToken = 'ssws-good-token-0123456789abcdef';
  const badToken = 'ssws-wrong-token-9876543210fedcba';
  let okta: FakeOkta;

  beforeAll(async () => {
    okta = await startFakeOkta({ org: loadOrg('demo'), credentials: { apiTokens: [{ token: goodToken }] } });
  });

  afterAll(async () => {
    await okta?.close();
  });

  it('exits 2 with the reason, never printing the token given as a flag or in the environment', async () => {
    const byFlag = await runBuiltCli(['--org-url', okta.url, '--token', badToken, '--format', 'json']);
    const byEnv = await runBuiltCli(['--format', 'json'], {
      env: { OKTA_ORG_URL: okta.url, OKTA_API_TOKEN: badToken },
    });
    for (const run of [byFlag, byEnv]) {
      expect(run.code).toBe(2);
      expect(run.stdout).toBe('');
      // Okta's refusal, not a local check: the fake org answered 401 to the token.
      expect(run.stderr).toMatch(/API token \(401/);
      expect(`${run.stdout}${run.stderr}`).not.toContain(badToken);
    }
    expect(okta.requests.length).toBeGreaterThanOrEqual(2);
  });

  it('reads an HTML 404 for a provisioning connection as "not available", as it reads Okta\'s own 404', async () => {
    // A page instead of Okta's JSON makes the SDK throw HttpError, which the scanner imports by
    // path: the built command must hold one copy of that class, the one its SDK file throws.
    const proxy = await startOktaProxy(okta.url);
    try {
      proxy.override(HTML_404_FOR_CONNECTIONS);
      const run = await runBuiltCli(['--org-url', proxy.url, '--token', goodToken, '--format', 'json', '--quiet']);
      expect(okta.requests.some((r) => r.status === 404 && r.path.endsWith('/connections/default'))).toBe(true);
      expect(JSON.parse(run.stdout)).toMatchObject({ status: 'complete', errors: [] });
      expect(run.code).toBe(1);
    } finally {
      await proxy.close();
    }
  });
});
