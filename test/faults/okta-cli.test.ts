import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { FakeOkta } from '../../fake-okta/types';
import type { Report } from '../../lambda/domain/finding';
import { runCli } from '../cli/run-cli';
import { ALL_SCOPES, AS_OF, GOOD_TOKEN, IDS, smallOrg, startOrg } from '../okta/fixtures';
import { serviceAppKey } from '../support/service-app-keys';
import { OKTA_CASES } from './okta-cases';
import { clientTuning, DEFAULT_TEST_TIMEOUT_MS } from './support/fast-okta-client';
import { expectNoSecret, expectNothingFalselyClean, expectNoViolationLost, expectStatus } from './support/invariants';
import { type OktaProxy, startOktaProxy } from './support/okta-proxy';

// The Okta rows of the matrix through `okta-scan` (main(), JSON report on stdout): the exit code
// and report status, what the report says could not be read, and that nothing is falsely clean.

vi.mock('../../lambda/okta/client', async (original) =>
  (await import('./support/fast-okta-client.js')).fastClientModule(await original()),
);

let fake: FakeOkta;
let proxy: OktaProxy;
let clean: Report;
const ALICE_TOKEN = '00Talice0000000000001';

async function scanViaCli(rules?: string[]): Promise<{ code: number; report: Report; stdout: string; stderr: string }> {
  const argv = ['--org-url', proxy.url, '--token', GOOD_TOKEN, '--now', AS_OF, '--format', 'json'];
  if (rules) argv.push('--rules', rules.join(','));
  const run = await runCli(argv);
  return { ...run, report: JSON.parse(run.stdout) as Report };
}

const serviceApp = serviceAppKey('trusted');
const SERVICE_APP_ID = '0oafaultmatrixapp001';

beforeAll(async () => {
  fake = await startOrg(smallOrg(), {
    credentials: {
      apiTokens: [{ token: GOOD_TOKEN }],
      serviceApps: [{ clientId: SERVICE_APP_ID, publicJwk: serviceApp.publicJwk, scopes: ALL_SCOPES }],
    },
  });
  proxy = await startOktaProxy(fake.url);
  const run = await scanViaCli();
  expect(run.code).toBe(1);
  clean = run.report;
});
afterAll(async () => {
  await proxy.close();
  await fake.close();
});
beforeEach(() => {
  fake.clearFaults();
  fake.resetRequests();
  fake.org = smallOrg();
  proxy.clear();
  clientTuning.waits.length = 0;
  clientTuning.requestTimeoutMs = DEFAULT_TEST_TIMEOUT_MS;
});

describe('okta-scan against a misbehaving Okta', () => {
  it.each(OKTA_CASES.map((c) => [c.name, c] as const))('%s', async (_, c) => {
    c.arrange({ fake, proxy });

    const { code, report, stdout, stderr } = await scanViaCli(c.rules);

    expectStatus(report, c.failed);
    expect(code).toBe(c.failed.length > 0 ? 3 : report.findings.some((f) => f.status === 'FAIL') ? 1 : 0);
    if (c.failed.length > 0) expect(stderr).toMatch(/scan INCOMPLETE \(.+\).*exit 3: incomplete/);
    expectNothingFalselyClean(report);
    if (!c.changesData) expectNoViolationLost(clean.findings, report.findings);
    const verdicts = new Set(report.findings.map((f) => `${f.ruleId} ${f.resource.id} ${f.status}`));
    for (const verdict of c.expect ?? []) expect(verdicts, verdict).toContain(verdict);
    for (const [ruleId, n] of Object.entries(c.findingsPerRule ?? {})) {
      expect(report.findings.filter((f) => f.ruleId === ruleId)).toHaveLength(n);
    }
    if (c.waits === 'reset') expect(clientTuning.waits.filter((ms) => ms > 0)).toEqual([]);
    if (c.waits === 'backoff') expect(clientTuning.waits).toEqual(expect.arrayContaining([1000, 2000]));
    if (c.waits === 'reset' || c.waits === 'backoff')
      expect(fake.requests.some((r) => r.status === 429 || r.status >= 500)).toBe(true);
    expectNoSecret(stdout + stderr, [GOOD_TOKEN]);
  });
});

describe('okta-scan when a token owner is deleted between two scans', () => {
  it('first reports a person owning the token, then the dead owner, and never a PASS for either', async () => {
    const first = await scanViaCli();
    const verdict = (report: Report, ruleId: string): string | undefined =>
      report.findings.find((f) => f.ruleId === ruleId && f.resource.id === ALICE_TOKEN)?.status;
    expect(verdict(first.report, 'api-token-owner-is-human')).toBe('FAIL');
    expect(verdict(first.report, 'api-token-owner-not-active')).toBe('PASS');
    fake.org.users = fake.org.users.filter((u) => u.id !== IDS.alice);

    const second = await scanViaCli();

    expect(second.code).toBe(1);
    expectStatus(second.report, []);
    expect(verdict(second.report, 'api-token-owner-not-active')).toBe('FAIL');
    expect(verdict(second.report, 'api-token-owner-is-human')).toBe('UNKNOWN');
    expect(
      second.report.findings.find((f) => f.resource.id === ALICE_TOKEN && f.ruleId === 'api-token-owner-not-active')
        ?.message,
    ).toContain('no longer exists in Okta');
  });
});

describe('okta-scan with a service app key against a misbehaving Okta', () => {
  it('retries a failing token endpoint, reports the source it could not read, and never prints the key', async () => {
    fake.fault({ route: '/oauth2/v1/token', fault: { kind: 'status', status: 503 }, times: 1 });
    fake.fault({ route: /^\/api\/v1\/agentPools$/, fault: { kind: 'status', status: 403 } });
    const env = {
      OKTA_CLIENT_ID: SERVICE_APP_ID,
      OKTA_PRIVATE_KEY: serviceApp.privateKeyPem,
      OKTA_KEY_ID: serviceApp.kid,
    };

    // Straight to the fake: the key's assertion names the token endpoint it is meant for.
    const run = await runCli(['--org-url', fake.url, '--now', AS_OF, '--format', 'json'], { env });

    expect(run.code).toBe(3);
    const report = JSON.parse(run.stdout) as Report;
    expectStatus(report, ['agentPools']);
    expectNothingFalselyClean(report);
    expect(fake.requests.filter((r) => r.path === '/oauth2/v1/token').map((r) => r.status)).toEqual([503, 200]);
    const keyLines = serviceApp.privateKeyPem
      .split('\n')
      .filter((line) => line.length > 20 && !line.startsWith('-----'));
    expectNoSecret(run.stdout + run.stderr, keyLines);
  });
});
