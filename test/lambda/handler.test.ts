import { writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { PublishCommand } from '@aws-sdk/client-sns';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { WhatIfReport } from '../../lambda/domain/whatif';
import { ConfigError, ScanFailedError } from '../../lambda/errors';
import { handler } from '../../lambda/handler';
import type { PeopleResult } from '../../lambda/modes/people';
import type { ScanSummary } from '../../lambda/modes/scan';
import { READ_SCOPES } from '../../lambda/okta/client';
import { startOktaProxy } from '../faults/support/okta-proxy';
import { SCHEDULED_EVENT } from '../support/lambda-events';
import { serviceAppKey } from '../support/service-app-keys';
import {
  captureOutput,
  type LambdaWorld,
  OKTA_TOKEN,
  type OutputCapture,
  publishedDigests,
  SECRET_ARN,
  scanRecords,
  secretReads,
  secretsManager,
  sns,
  startWorld,
  tableItems,
  unwrapped,
  useSecret,
} from './harness';

// The Lambda as deployed: the unmodified handler, configured through its environment, against
// dynalite, a loopback fake Okta (the demo org) and mocked Secrets Manager and SNS.

const serviceApp = serviceAppKey('trusted');
const SERVICE_APP_ID = '0oalambdatest0000001';

let output: OutputCapture;
let world: LambdaWorld;

beforeAll(() => {
  output = captureOutput();
});
afterAll(() => output.restore());
beforeEach(() => output.mark());
afterEach(async () => {
  await world?.close();
  world = undefined as unknown as LambdaWorld;
});

async function scheduledScan(): Promise<ScanSummary> {
  return (await handler(SCHEDULED_EVENT)) as ScanSummary;
}

/** The JSON log lines written since the test began. */
function logLines(): Record<string, unknown>[] {
  return output.sinceMark().flatMap((line) => {
    try {
      const value = JSON.parse(line);
      return value && typeof value === 'object' ? [value as Record<string, unknown>] : [];
    } catch {
      return [];
    }
  });
}

function metricNames(): string[] {
  return logLines().flatMap((line) => {
    const aws = line._aws as { CloudWatchMetrics?: { Metrics: { Name: string }[] }[] } | undefined;
    return aws?.CloudWatchMetrics?.flatMap((m) => m.Metrics.map((metric) => metric.Name)) ?? [];
  });
}

/** The value an EMF line of this test gave a metric (the last one, when several did). */
function metricValue(name: string): unknown {
  const lines = logLines().filter((line) => line._aws !== undefined && name in line);
  return lines[lines.length - 1]?.[name];
}

describe('a scheduled scan', () => {
  it('records every violation of a first scan as new and sends one digest naming the owners and fixes', async () => {
    world = await startWorld();

    const result = await scheduledScan();

    expect(result).toMatchObject({ mode: 'scan', status: 'complete', dryRun: false, notified: true });
    const fails = result.summary!.byStatus.FAIL;
    expect(fails).toBeGreaterThan(10);
    expect(result.changes).toEqual({ NEW: fails, ONGOING: 0, REGRESSED: 0, RESOLVED: 0 });

    const [record] = await scanRecords(world);
    expect(record).toMatchObject({ scanId: result.scanId, status: 'complete', summary: result.summary });
    const open = await world.store.openFindings(world.org);
    expect(open).toHaveLength(fails);

    const digests = publishedDigests();
    expect(digests).toHaveLength(1);
    const [digest] = digests;
    if (process.env.LAMBDA_DIGEST_OUT)
      writeFileSync(process.env.LAMBDA_DIGEST_OUT, `${digest.subject}\n\n${digest.email}`);
    expect(digest.messageStructure).toBe('json');
    expect(digest.subject.length).toBeLessThanOrEqual(100);
    expect(digest.subject).toMatch(/^\[okta-scan\] 127\.0\.0\.1:\d+: \d+ new violations \(\d+ critical\)$/);
    expect(digest.attributes).toEqual({ org: world.org, status: 'complete', severity: 'critical' });
    expect(digest.json.counts.NEW).toBe(fails);
    expect(JSON.stringify(result)).not.toContain(OKTA_TOKEN);
    expect(metricNames()).toEqual(
      expect.arrayContaining(['ScanDuration', 'OktaRequests', 'ScanIncomplete', 'ScanFinished', 'NotificationSent']),
    );

    const critical = open.find((o) => o.finding.ruleId === 'api-token-owner-not-active' && o.finding.owner?.login);
    expect(critical, 'a critical violation with a known owner').toBeDefined();
    const email = unwrapped(digest.email);
    const finding = critical!.finding;
    expect(email).toContain(`[CRITICAL] NEW: api-token-owner-not-active API token "${finding.resource.name}"`);
    expect(email).toContain(`Owner: ${finding.owner!.login}`);
    expect(email).toContain(`Fix: ${unwrapped(finding.remediation)}`);
  });
});

describe('the next scheduled scan', () => {
  it('sends nothing when nothing changed, under notify "changes"', async () => {
    world = await startWorld({ config: { notify: 'changes' } });
    await scheduledScan();
    sns.resetHistory();

    const second = await scheduledScan();

    expect(second.changes).toMatchObject({ NEW: 0, REGRESSED: 0, RESOLVED: 0 });
    expect(second.changes!.ONGOING).toBe(second.summary!.byStatus.FAIL);
    expect(second.notified).toBe(false);
    expect(sns.commandCalls(PublishCommand)).toHaveLength(0);
    expect((await scanRecords(world)).map((r) => r.status)).toEqual(['complete', 'complete']);
  });

  it('sends a digest after every scan under notify "always", even when nothing changed', async () => {
    world = await startWorld({ config: { notify: 'always' } });
    await scheduledScan();
    sns.resetHistory();

    const second = await scheduledScan();

    expect(second.notified).toBe(true);
    const [digest] = publishedDigests();
    expect(digest.subject).toMatch(/: no changes, \d+ still open$/);
    expect(digest.email).toContain('NEW AND REGRESSED VIOLATIONS (0)');
    expect(digest.attributes).toMatchObject({ status: 'complete', severity: 'none' });
  });

  it('marks a violation fixed in Okta since the last scan as resolved and says so in the digest', async () => {
    world = await startWorld();
    await scheduledScan();
    const siem = (await world.store.openFindings(world.org)).find(
      (o) => o.finding.ruleId === 'api-token-owner-is-human' && o.finding.resource.id === '00TSiemtBeSO9eNdl2hg',
    );
    expect(siem, 'the SIEM token is owned by a person at first').toBeDefined();
    sns.resetHistory();
    // The token is recreated under the service account: same id, new owner.
    world.fake.org.apiTokens.find((t) => t.id === '00TSiemtBeSO9eNdl2hg')!.userId = '00uSvcIntegKjlQrKYYU';

    const second = await scheduledScan();

    expect(second.changes).toMatchObject({ NEW: 0, REGRESSED: 0, RESOLVED: 1 });
    const open = await world.store.openFindings(world.org);
    expect(open.map((o) => o.finding.id)).not.toContain(siem!.finding.id);
    const history = await world.store.findingHistory(world.org, siem!.finding.id);
    expect(history.map((h) => h.state)).toEqual(['NEW', 'RESOLVED']);
    const [digest] = publishedDigests();
    expect(digest.subject).toMatch(/: 1 violation resolved$/);
    expect(digest.json.resolved.map((r) => r.id)).toEqual([siem!.finding.id]);
    expect(unwrapped(digest.email)).toContain(
      'RESOLVED (1) - [HIGH] api-token-owner-is-human API token "SIEM export" (00TSiemtBeSO9eNdl2hg), owner alice.nguyen@acme.com',
    );
  });

  it('keeps the agent violations open when agent pools cannot be read, and says what was not read and the scope it needs', async () => {
    world = await startWorld();
    await scheduledScan();
    const agentIds = (await world.store.openFindings(world.org))
      .filter((o) => o.finding.ruleId.startsWith('ad-agent-'))
      .map((o) => o.finding.id);
    expect(agentIds.length).toBeGreaterThan(0);
    sns.resetHistory();
    world.fake.fault({ route: '/api/v1/agentPools', fault: { kind: 'status', status: 403 } });

    const second = await scheduledScan();

    expect(second.status).toBe('incomplete');
    expect(second.errors).toEqual([
      expect.objectContaining({ source: 'agentPools', requiredScope: 'okta.agentPools.read' }),
    ]);
    expect(second.changes!.RESOLVED).toBe(0);
    const openIds = (await world.store.openFindings(world.org)).map((o) => o.finding.id);
    expect(openIds).toEqual(expect.arrayContaining(agentIds));
    expect((await scanRecords(world))[0]).toMatchObject({ scanId: second.scanId, status: 'incomplete' });
    const [digest] = publishedDigests();
    expect(digest.attributes.status).toBe('incomplete');
    expect(digest.subject).toMatch(/scan incomplete: 1 source not read$/);
    const email = unwrapped(digest.email);
    expect(email).toContain('WHAT COULD NOT BE READ (1 source) - agentPools:');
    expect(email).toContain('Required scope: okta.agentPools.read');
    expect(metricValue('ScanIncomplete')).toBe(1);
  });

  it('scans with an OAuth 2.0 service app key from the secret', async () => {
    world = await startWorld({
      credentials: {
        serviceApps: [{ clientId: SERVICE_APP_ID, publicJwk: serviceApp.publicJwk, scopes: [...READ_SCOPES] }],
      },
    });
    useSecret(
      JSON.stringify({
        orgUrl: world.fake.url,
        clientId: SERVICE_APP_ID,
        privateKey: serviceApp.privateKeyPem,
        keyId: serviceApp.kid,
      }),
    );

    const result = await scheduledScan();

    expect(result.status).toBe('complete');
    expect(world.fake.requests.some((r) => r.path === '/oauth2/v1/token')).toBe(true);
    expect(world.fake.requests.filter((r) => r.path.startsWith('/api/')).every((r) => r.auth !== 'SSWS')).toBe(true);
  });
});

describe('an ad-hoc invocation', () => {
  it('records a scan without sending a digest when asked not to notify', async () => {
    world = await startWorld();

    const result = (await handler({ notify: false })) as ScanSummary;

    expect(result).toMatchObject({ status: 'complete', notified: false });
    expect(result.changes!.NEW).toBeGreaterThan(0);
    expect((await scanRecords(world))[0]).toMatchObject({ scanId: result.scanId, status: 'complete' });
    expect(sns.commandCalls(PublishCommand)).toHaveLength(0);
  });

  it('writes and sends nothing when a dry run fails', async () => {
    world = await startWorld();
    useSecret(JSON.stringify({ orgUrl: world.fake.url, apiToken: `${OKTA_TOKEN}-revoked` }));

    await expect(handler({ dryRun: true })).rejects.toThrow(ScanFailedError);

    expect(await tableItems(world)).toEqual([]);
    expect(sns.commandCalls(PublishCommand)).toHaveLength(0);
  });

  it('returns the summary of a dry run and writes and sends nothing', async () => {
    world = await startWorld();

    const result = (await handler({ mode: 'scan', dryRun: true })) as ScanSummary;

    expect(result).toMatchObject({ mode: 'scan', status: 'complete', dryRun: true, changes: null, notified: false });
    expect(result.summary!.byStatus.FAIL).toBeGreaterThan(10);
    expect(await tableItems(world)).toEqual([]);
    expect(sns.commandCalls(PublishCommand)).toHaveLength(0);
  });

  it('evaluates only the rules asked for and resolves nothing of the other rules', async () => {
    world = await startWorld();
    await scheduledScan();
    const openBefore = (await world.store.openFindings(world.org)).map((o) => o.finding.id).sort();
    world.fake.resetRequests();
    sns.resetHistory();

    const result = (await handler({ rules: ['api-token-owner-is-human'] })) as ScanSummary;

    const findings = await world.store.scanFindings(result.scanId);
    expect(findings.length).toBeGreaterThan(0);
    expect(new Set(findings.map((f) => f.ruleId))).toEqual(new Set(['api-token-owner-is-human']));
    expect(result.changes).toMatchObject({ NEW: 0, REGRESSED: 0, RESOLVED: 0 });
    expect((await world.store.openFindings(world.org)).map((o) => o.finding.id).sort()).toEqual(openBefore);
    // Only the sources that rule needs were read.
    expect(world.fake.requests.some((r) => r.path.startsWith('/api/v1/agentPools'))).toBe(false);
    expect(world.fake.requests.some((r) => r.path.startsWith('/api/v1/apps'))).toBe(false);
    expect(sns.commandCalls(PublishCommand)).toHaveLength(0);
  });

  it('answers a what-if with the integrations of a user, and writes and sends nothing', async () => {
    world = await startWorld();

    const result = await handler({ mode: 'whatif', user: 'bob.martinez@acme.com' });

    expect(result).toMatchObject({ mode: 'whatif', found: true, user: { login: 'bob.martinez@acme.com' } });
    const impacted = (result as WhatIfReport).impacts.map((i) => i.resource.id);
    expect(impacted).toEqual(expect.arrayContaining(['00TBobTf3FalQ9nWyODo', '00TAdAgentHInx3YPsxm']));
    expect(await tableItems(world)).toEqual([]);
    expect(sns.commandCalls(PublishCommand)).toHaveLength(0);
  });
});

describe('a deployment of several orgs, invoked directly', () => {
  const twoOrgs = {
    orgs: [
      { name: 'acme-prod', secret: SECRET_ARN },
      { name: 'acme-preview', secret: 'okta-scanner/acme-preview' },
    ],
  };

  it('scans the org the payload names, reading the config gzipped as the stack sends a large one', async () => {
    world = await startWorld({ config: twoOrgs });
    process.env.SCANNER_CONFIG = `gzip:${gzipSync(JSON.stringify(twoOrgs)).toString('base64')}`;

    const result = (await handler({ mode: 'scan', dryRun: true, org: 'acme-prod' })) as ScanSummary;

    expect(result).toMatchObject({ mode: 'scan', status: 'complete', org: world.org, dryRun: true });
    expect(secretsManager.commandCalls(GetSecretValueCommand)[0].args[0].input.SecretId).toBe(SECRET_ARN);
  });

  it('refuses a payload that names no org when several are configured, naming them, before any work', async () => {
    world = await startWorld({ config: twoOrgs });

    await expect(handler({ mode: 'scan', dryRun: true })).rejects.toThrow(
      /org: this deployment scans 2 orgs; name one, e\.g\. \{"org":"acme-prod"\} \(configured: acme-prod, acme-preview\)/,
    );
    expect(secretReads()).toBe(0);
    expect(world.fake.requests).toEqual([]);
  });
});

describe('the people view', () => {
  it('answers {"mode":"people"} with the people JSON of a fresh scan, most breaking first, and writes and sends nothing', async () => {
    world = await startWorld();

    const result = (await handler({ mode: 'people' })) as PeopleResult;

    expect(result).toMatchObject({ mode: 'people', schemaVersion: 1, org: world.org, status: 'complete' });
    expect(result.people.length).toBeGreaterThan(3);
    const criticals = result.people.map((p) => p.breaks.critical);
    expect(criticals).toEqual([...criticals].sort((a, b) => b - a));
    const frank = result.people.find((p) => p.login === 'frank.miller@acme.com');
    expect(frank).toMatchObject({ kind: 'human', status: 'DEPROVISIONED' });
    expect(frank!.integrations.map((i) => i.type)).toEqual(
      expect.arrayContaining(['api_token', 'workflows_connection']),
    );
    expect(await tableItems(world)).toEqual([]);
    expect(sns.commandCalls(PublishCommand)).toHaveLength(0);
  });
});

describe('a function deployed wrong', () => {
  it('refuses to run without its table, topic or secret, naming each missing variable', async () => {
    world = await startWorld();
    delete process.env.TABLE_NAME;
    delete process.env.OKTA_SECRET_ARN;

    const error = await scheduledScan().then(
      () => null,
      (e: unknown) => e as Error,
    );

    expect(error).toBeInstanceOf(ConfigError);
    expect(error!.message).toContain('TABLE_NAME: not set');
    expect(error!.message).toContain('OKTA_SECRET_ARN: not set');
    expect(secretReads()).toBe(0);
    expect(world.fake.requests).toEqual([]);
  });

  it('refuses a config that does not fit, with the message the CLI gives', async () => {
    world = await startWorld({ config: { lookbackDays: 365, notify: 'sometimes' } });

    const error = await scheduledScan().then(
      () => null,
      (e: unknown) => e as Error,
    );

    expect(error).toBeInstanceOf(ConfigError);
    expect(error!.message).toMatch(/^Invalid config in SCANNER_CONFIG:/);
    expect(error!.message).toContain('lookbackDays:');
    expect(error!.message).toContain('notify:');
    expect(secretReads()).toBe(0);
    expect(await tableItems(world)).toEqual([]);
  });
});

describe('a payload that does not fit', () => {
  it.each([
    ['values of the wrong type', { dryRun: 'yes', notify: 1 }, ['dryRun:', 'notify:']],
    ['an unknown key', { mode: 'scan', colour: 'red' }, ['unknown key "colour"']],
    ['an unknown rule id', { rules: ['api-token-owner-is-human', 'no-such-rule'] }, ['"no-such-rule" is not a rule']],
    ['a what-if without the user', { mode: 'whatif' }, ['user: what-if needs the user']],
    [
      'an unknown mode and rules that are not a list',
      { mode: 'audit', rules: 'api-token-owner-is-human' },
      ['mode:', 'rules:'],
    ],
    [
      'a bad type and an unknown rule together',
      { dryRun: 'yes', rules: ['no-such-rule'] },
      ['dryRun:', '"no-such-rule" is not a rule'],
    ],
    ['a string', 'scan', ['expected object']],
    ['an array', ['scan'], ['expected object']],
  ])(
    'is refused when it has %s, listing each problem, before the secret or Okta is touched',
    async (_, payload, problems) => {
      world = await startWorld();

      const error = await handler(payload).then(
        () => null,
        (e: unknown) => e as Error,
      );

      expect(error).toBeInstanceOf(ConfigError);
      for (const problem of problems) expect(error!.message).toContain(problem);
      expect(error!.message.split('\n  - ')).toHaveLength(problems.length + 1);
      expect(secretReads()).toBe(0);
      expect(world.fake.requests).toEqual([]);
      expect(await tableItems(world)).toEqual([]);
      expect(sns.commandCalls(PublishCommand)).toHaveLength(0);
    },
  );
});

const PLAIN_PASSWORD = 'hunter2-lambda-test-password';

describe('a secret that cannot be used', () => {
  const awsError = (name: string, message: string): Error => Object.assign(new Error(message), { name });
  it.each([
    ['is not JSON', () => `orgUrl=https://acme.okta.com apiToken=${OKTA_TOKEN}`, 'not valid JSON'],
    ['lacks the API token', () => JSON.stringify({ orgUrl: 'https://acme.okta.com' }), 'missing field: apiToken'],
    ['lacks the org URL', () => JSON.stringify({ apiToken: OKTA_TOKEN }), 'missing field: orgUrl'],
    [
      'has an unexpected field',
      () => JSON.stringify({ orgUrl: 'https://acme.okta.com', apiToken: OKTA_TOKEN, password: PLAIN_PASSWORD }),
      'unexpected field(s): password',
    ],
    [
      'has both an API token and a service app key',
      () =>
        JSON.stringify({
          orgUrl: 'https://acme.okta.com',
          apiToken: OKTA_TOKEN,
          clientId: SERVICE_APP_ID,
          privateKey: serviceApp.privateKeyPem,
        }),
      'not both',
    ],
    [
      'has an http:// org URL that is not loopback',
      () => JSON.stringify({ orgUrl: 'http://acme.okta.com', apiToken: OKTA_TOKEN }),
      'must use https://',
    ],
    [
      'cannot be read by the function (AccessDeniedException)',
      awsError(
        'AccessDeniedException',
        'User: arn:aws:sts::123456789012:assumed-role/scanner is not authorized to perform: secretsmanager:GetSecretValue',
      ),
      'AccessDeniedException',
    ],
    [
      'does not exist (ResourceNotFoundException)',
      awsError('ResourceNotFoundException', "Secrets Manager can't find the specified secret."),
      'ResourceNotFoundException',
    ],
  ])(
    'fails the scan when the secret %s, records and announces the failure, and never shows the secret',
    async (_, secret, problem) => {
      world = await startWorld();
      if (secret instanceof Error) secretsManager.on(GetSecretValueCommand).rejects(secret);
      else useSecret(secret());

      const error = await scheduledScan().then(
        () => null,
        (e: unknown) => e as Error,
      );

      expect(error).toBeInstanceOf(ScanFailedError);
      expect(error!.message).toContain(problem);
      expectNoSecretIn(error!.message);
      // No scan has read the secret yet: recorded under the secret's name, where its history will be looked for.
      const [record] = await scanRecords(world, SECRET_ARN);
      expect(record).toMatchObject({ status: 'failed' });
      expect(record.failureReason).toContain(problem);
      expect(world.fake.requests).toEqual([]);
      const digests = publishedDigests();
      expect(digests).toHaveLength(1);
      expect(digests[0].attributes.status).toBe('failed');
      expect(digests[0].subject).toMatch(/: scan failed$/);
      expect(unwrapped(digests[0].email)).toContain(`THE SCAN FAILED ${unwrapped(record.failureReason as string)}`);
      // Which org's violations stay open cannot be known without the secret: no count is better than a wrong one.
      expect(digests[0].email).not.toContain('STILL OPEN');
      expectNoSecretIn(digests[0].raw);
      expectNoSecretIn(output.sinceMark().join('\n'));
    },
  );

  it('records a secret that can no longer be read under the org it pointed at, with what stays open', async () => {
    world = await startWorld();
    await scheduledScan();
    const openBefore = (await world.store.openFindings(world.org)).length;
    sns.resetHistory();
    secretsManager.on(GetSecretValueCommand).rejects(
      Object.assign(new Error('not authorized to perform: secretsmanager:GetSecretValue'), {
        name: 'AccessDeniedException',
      }),
    );

    const error = await scheduledScan().then(
      () => null,
      (e: unknown) => e as Error,
    );

    expect(error).toBeInstanceOf(ScanFailedError);
    expect((await scanRecords(world)).map((r) => r.status)).toEqual(['failed', 'complete']);
    expect(await scanRecords(world, 'unknown')).toEqual([]);
    expect(await scanRecords(world, SECRET_ARN)).toEqual([]);
    const [digest] = publishedDigests();
    expect(digest.attributes).toMatchObject({ org: world.org, status: 'failed' });
    expect(unwrapped(digest.email)).toContain(`STILL OPEN ${openBefore} violations are still open.`);
  });

  it('fails the scan with a clear message when Okta rejects the API token (401), keeping what was open open', async () => {
    world = await startWorld();
    await scheduledScan();
    const openBefore = (await world.store.openFindings(world.org)).map((o) => o.finding.id).sort();
    sns.resetHistory();
    useSecret(JSON.stringify({ orgUrl: world.fake.url, apiToken: `${OKTA_TOKEN}-revoked` }));

    const error = await scheduledScan().then(
      () => null,
      (e: unknown) => e as Error,
    );

    expect(error).toBeInstanceOf(ScanFailedError);
    expect(error!.message).toMatch(/Okta rejected the API token \(401/);
    expect(error!.message).not.toContain(OKTA_TOKEN);
    const [record] = await scanRecords(world);
    expect(record).toMatchObject({ status: 'failed' });
    expect(record.failureReason).toMatch(/Okta rejected the API token/);
    expect((await world.store.openFindings(world.org)).map((o) => o.finding.id).sort()).toEqual(openBefore);
    const [digest] = publishedDigests();
    expect(digest.attributes).toMatchObject({ org: world.org, status: 'failed' });
    const email = unwrapped(digest.email);
    expect(email).toContain('THE SCAN FAILED Okta rejected the API token (401');
    expect(email).toContain(`STILL OPEN ${openBefore.length} violations are still open.`);
    expect(digest.raw).not.toContain(OKTA_TOKEN);
  });
});

describe('when AWS or another scan gets in the way', () => {
  it('keeps the recorded scan when SNS refuses the digest, and logs and counts the failure', async () => {
    world = await startWorld();
    sns.on(PublishCommand).rejects(
      Object.assign(new Error('User is not authorized to perform: SNS:Publish'), {
        name: 'AuthorizationErrorException',
      }),
    );

    const result = await scheduledScan();

    expect(result).toMatchObject({ status: 'complete', notified: false });
    expect((await scanRecords(world))[0]).toMatchObject({ scanId: result.scanId, status: 'complete' });
    expect(await world.store.openFindings(world.org)).toHaveLength(result.summary!.byStatus.FAIL);
    const failure = logLines().find((l) => l.message === 'could not publish the digest');
    expect(failure).toMatchObject({ level: 'ERROR', scanId: result.scanId });
    expect(String(failure!.reason)).toContain('AuthorizationErrorException');
    expect(metricNames()).toContain('NotificationFailed');
  });

  it('runs one of two overlapping scans and refuses the other with a conflict, leaving history intact', async () => {
    world = await startWorld();
    // The scan that takes the lock is held at its first Okta read until the other one has been
    // answered: the overlap is certain, not timed.
    const proxy = await startOktaProxy(world.fake.url);
    const org = new URL(proxy.url).host;
    useSecret(JSON.stringify({ orgUrl: proxy.url, apiToken: OKTA_TOKEN }));
    let openGate = (): void => {};
    const gate = new Promise<void>((resolve) => {
      openGate = resolve;
    });
    proxy.override({
      route: '/api/v1/api-tokens',
      times: 1,
      respond: async (ctx) => {
        await gate;
        return ctx.upstream();
      },
    });

    try {
      const runs = [scheduledScan(), scheduledScan()];
      // The refused scan settles without reading Okta; the holder waits at the gate till then.
      await Promise.race(runs).catch(() => undefined);
      openGate();
      const outcomes = await Promise.allSettled(runs);

      const done = outcomes.filter((o) => o.status === 'fulfilled').map((o) => o.value);
      const refused = outcomes.filter((o) => o.status === 'rejected').map((o) => o.reason as Error);
      expect(done).toHaveLength(1);
      expect(refused).toHaveLength(1);
      expect(refused[0]).toBeInstanceOf(ScanFailedError);
      expect(refused[0].message).toMatch(/Another scan \(.+\) of 127\.0\.0\.1:\d+ is recording history/);
      const records = await scanRecords(world, org);
      expect(records.find((r) => r.scanId === done[0].scanId)).toMatchObject({ status: 'complete' });
      expect(records.filter((r) => r.status === 'failed')).toHaveLength(1);
      expect(await world.store.openFindings(org)).toHaveLength(done[0].summary!.byStatus.FAIL);

      const next = await scheduledScan();
      expect(next.changes).toMatchObject({ NEW: 0, REGRESSED: 0, RESOLVED: 0 });
    } finally {
      openGate();
      await proxy.close();
    }
  });
});

function expectNoSecretIn(text: string): void {
  expect(text).not.toContain(OKTA_TOKEN);
  expect(text).not.toContain(PLAIN_PASSWORD);
  expect(text).not.toContain(PRIVATE_KEY_BODY);
}

/** A stretch of the key's base64 body: any leak of the key would include it. */
const PRIVATE_KEY_BODY = serviceApp.privateKeyPem.split('\n')[5];

describe('logs', () => {
  // Runs last: it reads everything the tests above wrote.
  it('never contain a secret value, in any test of this file', () => {
    expect(output.all.length).toBeGreaterThan(50);
    expect(output.all.filter((line) => line.includes(OKTA_TOKEN))).toEqual([]);
    expect(output.all.filter((line) => line.includes(PRIVATE_KEY_BODY))).toEqual([]);
    expect(output.all.filter((line) => line.includes(PLAIN_PASSWORD))).toEqual([]);
  });
});
