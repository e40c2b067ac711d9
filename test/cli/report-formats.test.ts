import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../lambda/domain/finding';
import { complianceFindingProblems } from '../sinks/ocsf-compliance-finding';
import { runCli } from './run-cli';

// `--format html` and `--format ocsf` on the demo org, through the CLI's sources; the HTML
// page itself is opened in a browser by test/browser.

let demo: Report;
let dir: string;

beforeAll(async () => {
  demo = JSON.parse((await runCli(['--demo', '--format', 'json', '--quiet'])).stdout) as Report;
  dir = mkdtempSync(join(tmpdir(), 'okta-scan-formats-'));
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('okta-scan --format ocsf', () => {
  it('writes one OCSF 1.8.0 Compliance Finding per finding of the demo org, each passing the schema check', async () => {
    const run = await runCli(['--demo', '--format', 'ocsf', '--quiet']);
    expect(run.code).toBe(1);
    const events = JSON.parse(run.stdout) as { finding_info: { uid: string } }[];
    expect(events.map((e) => e.finding_info.uid).sort()).toEqual(demo.findings.map((f) => f.id).sort());
    const problems = events.flatMap((e) => complianceFindingProblems(e).map((p) => `${e.finding_info.uid}: ${p}`));
    expect(problems).toEqual([]);
  });
});

describe('okta-scan --format html', () => {
  it('writes the page to --output with every FAIL finding of the demo org on it', async () => {
    const file = join(dir, 'report.html');
    const run = await runCli(['--demo', '--format', 'html', '--output', file, '--quiet']);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    const html = readFileSync(file, 'utf8');
    expect(html.startsWith('<!doctype html>')).toBe(true);
    for (const f of demo.findings.filter((x) => x.status === 'FAIL')) {
      expect(html).toContain(`data-id="${f.id}" data-severity="${f.severity}" data-status="FAIL"`);
    }
  });
});

describe('formats a command does not write', () => {
  it.each([
    ['whatif', ['whatif', '--demo', '--user', 'frank.miller@acme.com', '--format', 'html'], 'table, json, csv'],
    ['whatif', ['whatif', '--demo', '--user', 'frank.miller@acme.com', '--format', 'ocsf'], 'table, json, csv'],
    ['rules', ['rules', '--format', 'html'], 'table, json'],
  ])('%s refuses %j before any work, naming the formats it takes', async (command, argv, formats) => {
    const run = await runCli(argv);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(`is for scan reports, not "okta-scan ${command}"`);
    expect(run.stderr).toContain(`${command} writes ${formats}`);
    expect(run.stderr).not.toContain('Reading');
  });
});
