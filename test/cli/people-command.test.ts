import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { PeopleReport, Person } from '../../lambda/domain/people';
import { saveInventory } from '../../lambda/inventory-file';
import { PEOPLE_CSV_COLUMNS } from '../../lambda/sinks/report-people-csv';
import { build, withSourceFailed } from '../support/inventory-builder';
import { peopleSchemaProblems } from './people-schema';
import { runCli, visibleWidth } from './run-cli';

// `okta-scan people --demo` (issue 14): who the demo org's integrations run on, worst first,
// with the leaver, the owner leaving next week, the suspended, locked-out and idle owners.

let people: PeopleReport;
let code: number;
const byLogin = (login: string): Person => people.people.find((p) => p.login === login)!;
const rank = (login: string): number => people.people.findIndex((p) => p.login === login);

beforeAll(async () => {
  const run = await runCli(['people', '--demo', '--format', 'json', '--quiet']);
  code = run.code;
  people = JSON.parse(run.stdout) as PeopleReport;
});

describe('okta-scan people --demo', () => {
  it('answers a complete people report in the published shape', () => {
    expect(code).toBe(0);
    expect(peopleSchemaProblems(people)).toEqual([]);
    expect(people.status).toBe('complete');
  });

  it('ranks accounts by what breaks: critical count first, then high, medium, low', () => {
    const keys = people.people.map((p) => [p.breaks.critical, p.breaks.high, p.breaks.medium, p.breaks.low]);
    for (let i = 1; i < keys.length; i++) {
      const [a, b] = [keys[i - 1], keys[i]];
      const first = a.findIndex((n, j) => n !== b[j]);
      if (first >= 0)
        expect(a[first], `${people.people[i].login} below ${people.people[i - 1].login}`).toBeGreaterThan(b[first]);
    }
  });

  it('marks the leaver in the Leavers group and ranks them above every account with nothing critical', () => {
    const dave = byLogin('dave.okafor@acme.com');
    expect(dave.leaving).toEqual({ reason: 'group Leavers' });
    expect(dave.integrations.flatMap((i) => i.ruleIds)).toContain('owner-leaving');
    const noCritical = people.people.filter((p) => p.breaks.critical === 0).map((p) => rank(p.login ?? p.id));
    expect(rank('dave.okafor@acme.com')).toBeLessThan(Math.min(...noCritical));
  });

  it('marks the owner whose termination date is next week, with the date', () => {
    const erin = byLogin('erin.lee@acme.com');
    expect(erin.leaving).toEqual({ reason: 'terminationDate 2026-12-04' });
    expect(erin.breaks.critical).toBeGreaterThan(0);
  });

  it('lists the suspended and the locked-out owners with their status', () => {
    expect(byLogin('ivan.petrov@acme.com')).toMatchObject({ status: 'SUSPENDED', kind: 'human' });
    expect(byLogin('ivan.petrov@acme.com').breaks.critical).toBe(1);
    // Okta still accepts a locked-out owner's token: the not-active rule says so at medium, not critical.
    const julia = byLogin('julia.chen@acme.com');
    expect(julia.status).toBe('LOCKED_OUT');
    expect(julia.breaks.critical).toBe(0);
    expect(rank('ivan.petrov@acme.com')).toBeLessThan(rank('julia.chen@acme.com'));
  });

  it('warns of the owner who has not signed in for 60 days, with the sign-in date', () => {
    const kevin = byLogin('kevin.wright@acme.com');
    expect(kevin.lastLogin?.slice(0, 10)).toBe('2026-09-28');
    expect(kevin.integrations[0].ruleIds).toContain('owner-inactive');
  });

  it('lists service accounts too, with integrations that fail nothing at info', () => {
    const svc = byLogin('svc-okta-integrations@acme.com');
    expect(svc.kind).toBe('service');
    expect(svc.integrations.some((i) => i.severity === 'info' && i.ruleIds.length === 0)).toBe(true);
  });

  it('prints a table that fits the terminal and names the leaving reason', async () => {
    const run = await runCli(['people', '--demo', '--quiet'], { tty: true, columns: 80 });
    expect(run.stdout).toContain('1. ');
    expect(run.stdout).toContain('LEAVING: group Leavers');
    for (const line of run.stdout.split('\n')) expect(visibleWidth(line)).toBeLessThanOrEqual(80);
  });

  it('writes one CSV row per account and integration', async () => {
    const run = await runCli(['people', '--demo', '--format', 'csv', '--quiet']);
    const rows = run.stdout.split('\r\n').filter((l) => l.length > 0);
    expect(rows[0]).toBe(PEOPLE_CSV_COLUMNS.join(','));
    expect(rows.length - 1).toBe(people.people.reduce((n, p) => n + p.integrations.length, 0));
  });

  it('calls out an account holding more integrations than concentrationThreshold', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'okta-scan-people-'));
    const config = join(dir, 'config.json');
    writeFileSync(config, JSON.stringify({ concentrationThreshold: 4 }));
    const run = await runCli(['people', '--demo', '--config', config, '--quiet'], { tty: true, columns: 200 });
    const held = byLogin('svc-okta-integrations@acme.com').integrations.length;
    expect(held).toBeGreaterThan(4);
    expect(run.stdout).toContain(
      `Concentration: svc-okta-integrations@acme.com holds ${held} integrations (more than 4)`,
    );
    expect(run.stdout).not.toContain('Concentration: frank.miller@acme.com');
  });

  it('refuses flags that do not apply to it, before any work', async () => {
    const run = await runCli(['people', '--demo', '--fail-on', 'high']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--fail-on does not apply to "okta-scan people"');
  });
});

describe('okta-scan people on a scan that could not read everything', () => {
  it('says incomplete and exits 3, in JSON and in the table', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'okta-scan-people-'));
    const file = join(dir, 'inventory.json');
    saveInventory(file, build(withSourceFailed('workflowsEvents')));
    const json = await runCli(['people', '--from-inventory', file, '--format', 'json', '--quiet']);
    expect(json.code).toBe(3);
    expect((JSON.parse(json.stdout) as PeopleReport).status).toBe('incomplete');
    const table = await runCli(['people', '--from-inventory', file, '--format', 'table', '--quiet']);
    expect(table.code).toBe(3);
    expect(table.stdout).toContain('Scan INCOMPLETE');
  });
});

describe('okta-scan --demo as a table', () => {
  it('closes with the people section: the accounts whose loss breaks the most', async () => {
    const run = await runCli(['--demo', '--quiet'], { tty: true, columns: 100 });
    const section = run.stdout.slice(run.stdout.indexOf('People (top 5 of'));
    expect(section).toContain(`People (top 5 of ${people.people.length}; okta-scan people lists all)`);
    for (const person of people.people.slice(0, 5)) expect(section).toContain(person.login ?? person.id);
  });
});
