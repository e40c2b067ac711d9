import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { PublishCommand } from '@aws-sdk/client-sns';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ConfigError } from '../../lambda/errors';
import { handler } from '../../lambda/handler';
import type { ScanSummary } from '../../lambda/modes/scan';
import { runCli } from '../cli/run-cli';
import { AS_OF, GOOD_TOKEN } from '../okta/fixtures';
import { expectNoSecret } from './support/invariants';
import {
  type CaseWorld,
  captureOutput,
  type OutputCapture,
  type Servers,
  secretsManager,
  sns,
  startCase,
  startServers,
  tableText,
} from './support/world';

// The input rows of the fault matrix: ad-hoc payloads and configs that do not fit. Each is
// refused before anything happens, with every problem listed: the secret is not read, Okta gets
// no request, nothing is written and nothing is sent.

vi.mock('../../lambda/okta/client', async (original) =>
  (await import('./support/fast-okta-client.js')).fastClientModule(await original()),
);

let servers: Servers;
let world: CaseWorld | undefined;
let output: OutputCapture;
let dir: string;

beforeAll(async () => {
  output = captureOutput();
  servers = await startServers();
  dir = mkdtempSync(join(tmpdir(), 'okta-faults-input-'));
});
afterAll(async () => {
  output.restore();
  await servers.close();
  rmSync(dir, { recursive: true, force: true });
});
afterEach(async () => {
  await world?.close();
  world = undefined;
});

async function refusal(run: Promise<unknown>): Promise<ConfigError> {
  const error = await run.then(
    () => null,
    (e: unknown) => e as Error,
  );
  expect(error).toBeInstanceOf(ConfigError);
  return error as ConfigError;
}

async function expectNothingHappened(tableBefore: string): Promise<void> {
  expect(secretsManager.commandCalls(GetSecretValueCommand)).toHaveLength(0);
  expect(servers.fake.requests).toEqual([]);
  expect(await tableText(servers)).toBe(tableBefore);
  expect(sns.commandCalls(PublishCommand)).toHaveLength(0);
}

describe('an ad-hoc payload that does not fit', () => {
  it.each([
    ['an empty rule list', { rules: [] }, ['rules: give at least one rule id']],
    ['an empty rule id beside a good one', { rules: ['', 'api-token-expiring'] }, ['rules.0:']],
    ['rule ids that are not strings', { rules: [42, true] }, ['rules.0:', 'rules.1:']],
    ['a blank what-if user', { mode: 'whatif', user: '   ' }, ['user: must be a user id or login']],
    [
      'a what-if with scan-only keys',
      { mode: 'whatif', user: 'alice@example.com', rules: ['api-token-expiring'], notify: true },
      ['rules: only used with "mode":"scan"', 'notify: only used with "mode":"scan"'],
    ],
    ['a scan naming a user', { mode: 'scan', user: 'alice@example.com' }, ['user: only used with "mode":"whatif"']],
    ['half a scheduled event', { source: 'aws.events' }, ['unknown key "source"']],
    [
      'an event from another source',
      { source: 'aws.other', 'detail-type': 'Scheduled Event' },
      ['unknown keys "source", "detail-type"'],
    ],
    ['keys in the wrong case', { Mode: 'scan', DryRun: true }, ['unknown keys "Mode", "DryRun"']],
    ['a mode in the wrong case', { mode: 'WHATIF', user: 'alice@example.com' }, ['mode:']],
    ['null where a boolean goes', { dryRun: null, notify: 'no' }, ['dryRun:', 'notify:']],
    [
      'unknown rule ids and a bad type together',
      { rules: ['api-token-owner-is-humans', 'ad-agent-tokenbased'], dryRun: 'true' },
      ['dryRun:', '"api-token-owner-is-humans" is not a rule', '"ad-agent-tokenbased" is not a rule'],
    ],
    ['a number', 42, ['expected object']],
    ['true', true, ['expected object']],
  ])('is refused when it has %s, listing each problem', async (_, payload, problems) => {
    world = await startCase(servers);
    const before = await tableText(servers);

    const error = await refusal(handler(payload));

    for (const problem of problems) expect(error.message).toContain(problem);
    expect(error.message.split('\n  - ')).toHaveLength(problems.length + 1);
    await expectNothingHappened(before);
  });

  it('treats a null payload like {}: a full ad-hoc scan, recorded', async () => {
    world = await startCase(servers);

    const result = (await handler(null)) as ScanSummary;

    expect(result).toMatchObject({ mode: 'scan', status: 'complete', dryRun: false });
    expect(result.changes!.NEW).toBeGreaterThan(0);
  });
});

/** A config with one of every kind of mistake, and the problem each must be listed with. */
const BAD_CONFIG = {
  serviceAccounts: {
    groups: 'Service Accounts',
    userTypes: [''],
    loginPatterns: ['^svc[-_.', '^ok$'],
    userIds: [42],
    emails: ['svc@acme.com'],
  },
  lookbackDays: 365,
  expiryWarningDays: -1,
  notify: 'sometimes',
  historyRetentionDays: 0,
  suppressions: [
    { ruleId: 'api-token-owner-is-human', resourceId: '00T1', reason: ' ', expires: 'someday' },
    { ruleId: 'api-token-owner-is-humans', resourceId: '', expires: '2027-01-31', ticket: 'SEC-1' },
  ],
  colour: 'red',
};
const BAD_CONFIG_PROBLEMS = [
  'serviceAccounts.groups:',
  'serviceAccounts.userTypes.0:',
  'serviceAccounts.loginPatterns.0: is not a valid JavaScript regular expression',
  'serviceAccounts.userIds.0:',
  'serviceAccounts: unknown key "emails"',
  'lookbackDays:',
  'expiryWarningDays:',
  'notify:',
  'historyRetentionDays:',
  'suppressions.0.reason: a reason is required',
  'suppressions.0.expires: must be a date such as 2027-01-31',
  'suppressions.1.resourceId:',
  'suppressions.1.reason:',
  'suppressions.1: unknown key "ticket"',
  'suppressions.1.ruleId: "api-token-owner-is-humans" is not a rule',
  '(top level): unknown key "colour"',
];

describe('a config with every kind of mistake', () => {
  it('makes okta-scan exit 2 listing each problem, before any request to Okta', async () => {
    const file = join(dir, 'bad-config.json');
    writeFileSync(file, JSON.stringify(BAD_CONFIG, null, 2));
    servers.fake.resetRequests();

    const run = await runCli(['--org-url', servers.fake.url, '--token', GOOD_TOKEN, '--now', AS_OF, '--config', file]);

    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    for (const problem of BAD_CONFIG_PROBLEMS) expect(run.stderr).toContain(problem);
    expect(run.stderr.split('\n  - ')).toHaveLength(BAD_CONFIG_PROBLEMS.length + 1);
    expect(servers.fake.requests).toEqual([]);
    expectNoSecret(run.stderr, [GOOD_TOKEN]);
  });

  it('makes the Lambda refuse to run, listing each problem, before the secret or Okta is touched', async () => {
    world = await startCase(servers, { config: BAD_CONFIG });
    const before = await tableText(servers);

    const error = await refusal(handler({ source: 'aws.events', 'detail-type': 'Scheduled Event' }));

    expect(error.message).toMatch(/^Invalid config in SCANNER_CONFIG:/);
    for (const problem of BAD_CONFIG_PROBLEMS) expect(error.message).toContain(problem);
    await expectNothingHappened(before);
  });

  it('makes okta-scan exit 2 naming each unknown rule id, before any request', async () => {
    servers.fake.resetRequests();

    const run = await runCli([
      '--org-url',
      servers.fake.url,
      '--token',
      GOOD_TOKEN,
      '--rules',
      'api-token-owner-is-humans,api-token-expiring,ad-agent-tokenbased',
    ]);

    expect(run.code).toBe(2);
    expect(run.stderr).toContain('"api-token-owner-is-humans" is not a rule');
    expect(run.stderr).toContain('"ad-agent-tokenbased" is not a rule');
    expect(servers.fake.requests).toEqual([]);
  });
});
