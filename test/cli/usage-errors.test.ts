import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadOrg, startFakeOkta } from '../../fake-okta/server';
import type { FakeOkta } from '../../fake-okta/types';
import { serviceAppKey } from '../support/service-app-keys';
import { runCli } from './run-cli';

// Exit 2: nothing scanned, a message naming the problem and the fix, and not one request sent.
// And no secret in any output, on the error paths above all.

const TOKEN = 'ssws-secret-token-fedcba9876543210';
const key = serviceAppKey('trusted');
const pemLines = key.privateKeyPem.split('\n').filter((l) => l.length > 20 && !l.startsWith('-----'));

let okta: FakeOkta;
let dir: string;

beforeAll(async () => {
  okta = await startFakeOkta({ org: loadOrg('demo'), credentials: { apiTokens: [{ token: TOKEN }] } });
  dir = mkdtempSync(join(tmpdir(), 'okta-scan-usage-'));
});

afterAll(async () => {
  await okta.close();
  rmSync(dir, { recursive: true, force: true });
});

afterEach(() => okta.resetRequests());

function expectNoSecret(text: string): void {
  expect(text).not.toContain(TOKEN);
  for (const line of pemLines) expect(text).not.toContain(line);
}

describe('okta-scan refuses what it cannot use, before any request (exit 2)', () => {
  const cases: [string, () => string[], RegExp][] = [
    ['an unknown flag', () => ['--org-url', okta.url, '--token', TOKEN, '--colour'], /--colour/],
    ['a flag without its value', () => ['--org-url', okta.url, '--token', TOKEN, '--format'], /--format/],
    [
      'a bad --format',
      () => ['--org-url', okta.url, '--token', TOKEN, '--format', 'xml'],
      /--format[\s\S]*table, json, csv/,
    ],
    [
      'a bad --fail-on',
      () => ['--org-url', okta.url, '--token', TOKEN, '--fail-on', 'urgent'],
      /--fail-on[\s\S]*critical/,
    ],
    ['a bad --now', () => ['--org-url', okta.url, '--token', TOKEN, '--now', 'yesterday'], /--now.*ISO-8601/],
    [
      'a --lookback-days out of range',
      () => ['--org-url', okta.url, '--token', TOKEN, '--lookback-days', '365'],
      /--lookback-days[\s\S]*1 to 90/,
    ],
    [
      'an unknown rule id',
      () => ['--org-url', okta.url, '--token', TOKEN, '--rules', 'api-token-owner-is-human,no-such-rule'],
      /no-such-rule.*api-token-owner-is-human/s,
    ],
    [
      'both a token and a client id',
      () => ['--org-url', okta.url, '--token', TOKEN, '--client-id', '0oa1', '--private-key-file', 'k.pem'],
      /either --token or --client-id/,
    ],
    ['no credentials at all', () => ['--org-url', okta.url], /No credentials.*--client-id.*--token/],
    ['no org URL', () => ['--token', TOKEN], /--org-url/],
    [
      'an http:// org URL that is not loopback',
      () => ['--org-url', 'http://acme.okta.com', '--token', TOKEN],
      /--org-url must use https:\/\//,
    ],
    [
      'a private key file that cannot be read',
      () => ['--org-url', okta.url, '--client-id', '0oa1', '--private-key-file', join(dir, 'missing.pem')],
      /Cannot read --private-key-file .*missing\.pem.*ENOENT/,
    ],
    [
      'a private key file that holds no key',
      () => {
        const file = join(dir, 'not-a-key.pem');
        writeFileSync(file, 'hello');
        return ['--org-url', okta.url, '--client-id', '0oa1', '--private-key-file', file];
      },
      /does not hold a usable private key/,
    ],
    [
      'a config with an unknown key',
      () => {
        const file = join(dir, 'bad-config.json');
        writeFileSync(file, JSON.stringify({ lookbackDays: 30, colour: 'red' }));
        return ['--org-url', okta.url, '--token', TOKEN, '--config', file];
      },
      /bad-config\.json[\s\S]*unknown key "colour"/,
    ],
    [
      'a suppression without a reason',
      () => {
        const file = join(dir, 'no-reason.json');
        writeFileSync(
          file,
          JSON.stringify({ suppressions: [{ ruleId: 'x', resourceId: 'y', expires: '2027-01-01' }] }),
        );
        return ['--org-url', okta.url, '--token', TOKEN, '--config', file];
      },
      /suppressions\.0\.reason/,
    ],
    [
      'a config file that does not exist',
      () => ['--org-url', okta.url, '--token', TOKEN, '--config', join(dir, 'nope.json')],
      /nope\.json.*ENOENT/,
    ],
    ['an unknown command', () => ['scna'], /Unknown command "scna"/],
    [
      'an inventory file that is not one',
      () => {
        const file = join(dir, 'not-an-inventory.json');
        writeFileSync(file, JSON.stringify({ schemaVersion: 7 }));
        return ['--from-inventory', file];
      },
      /not-an-inventory\.json has an unsupported schemaVersion/,
    ],
    [
      'an --output path that is a folder',
      () => ['--org-url', okta.url, '--token', TOKEN, '--output', dir],
      /--output .* is a folder/,
    ],
    [
      'a --save-inventory folder that does not exist',
      () => ['--org-url', okta.url, '--token', TOKEN, '--save-inventory', join(dir, 'nope', 'inv.json')],
      /--save-inventory .*does not exist/,
    ],
    ['whatif without --user', () => ['whatif', '--org-url', okta.url, '--token', TOKEN], /--user/],
    ['--demo with connection flags', () => ['--demo', '--org-url', okta.url], /--org-url does not apply with --demo/],
  ];

  for (const [what, argv, message] of cases) {
    it(`exits 2 on ${what}, saying so`, async () => {
      const run = await runCli(argv());
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/^okta-scan: /);
      expect(run.stderr).toMatch(message);
      expect(run.stdout).toBe('');
      expect(okta.requests).toHaveLength(0);
      expectNoSecret(run.stderr);
    });
  }
});

describe('secrets stay out of every output', () => {
  it('exits 2 on a token Okta rejects, without echoing it', async () => {
    const wrong = 'ssws-wrong-token-00000000000000000';
    const run = await runCli(['--org-url', okta.url, '--token', wrong]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^okta-scan: /m);
    expect(run.stderr).not.toContain(wrong);
  });

  it('exits 2 on a service app Okta does not know, without echoing its key', async () => {
    const run = await runCli(
      ['--org-url', okta.url, '--client-id', '0oaUnknown', '--key-id', key.kid, '--now', okta.org.asOf],
      {
        env: { OKTA_PRIVATE_KEY: key.privateKeyPem },
      },
    );
    expect(run.code).toBe(2);
    expectNoSecret(run.stdout + run.stderr);
  });

  it('never prints the token in a successful scan, its progress or its report', async () => {
    const file = join(dir, 'report.csv');
    const runs = await Promise.all([
      runCli(['--org-url', okta.url, '--token', TOKEN, '--now', okta.org.asOf], { stderrTty: true }),
      runCli(['--org-url', okta.url, '--token', TOKEN, '--format', 'table']),
      runCli(['--org-url', okta.url, '--token', TOKEN, '--output', file]),
    ]);
    for (const run of runs) expectNoSecret(run.stdout + run.stderr);
  });

  it('redacts a token that reached an error message', async () => {
    // A token pasted where a URL belongs ends up in the URL error: it is still not shown.
    const run = await runCli(['--org-url', `http://${TOKEN}.example.com`, '--token', TOKEN]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('[redacted]');
    expectNoSecret(run.stderr);
  });
});

describe('help and version', () => {
  it('prints usage with --help and exits 0', async () => {
    const run = await runCli(['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('okta-scan whatif');
    expect(run.stdout).toContain('--fail-on');
  });

  it('prints the package version with --version', async () => {
    const run = await runCli(['--version']);
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });
});
