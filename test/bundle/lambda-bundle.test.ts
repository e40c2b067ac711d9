import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadOrg, startFakeOkta } from '../../fake-okta/server';
import { DynamoFindingStore } from '../../lambda/sinks/dynamo-store';
import { OKTA_SDK_MODULE } from '../../lib/scanner-function';
import { HTML_404_FOR_CONNECTIONS, startOktaProxy } from '../faults/support/okta-proxy';
import {
  type LambdaWorld,
  OKTA_TOKEN,
  SECRET_ARN,
  scanRecords,
  TOPIC_ARN,
  tableItems,
  unwrapped,
} from '../lambda/harness';
import { startDynalite } from '../support/dynalite';
import { SCHEDULED_EVENT } from '../support/lambda-events';
import { type RunningS3, startS3 } from '../support/s3-server';
import { type SecretsManagerServer, startSecretsManager } from '../support/secrets-manager-server';
import { type SnsServer, startSns } from '../support/sns-server';
import { type BuiltLambda, type Invocation, invokeBuilt, resolveEnvironment, synthBuiltLambda } from './built-lambda';
import { buildWithNameBasedCheck } from './rebuild-handler';

// What ships is what is tested: the handler as `cdk synth` bundles it (minified CJS), loaded in
// plain node with the synthesised function's environment, against the fake Okta server's demo
// org (a custom SCIM app answering 404/400, a token whose owner was deleted), dynalite and
// loopback Secrets Manager and SNS. Each invocation is a fresh process: a cold start.

// One bundling synth and a few dozen cold starts of a 5 MB bundle on a shared 2-core machine.
const TIMEOUT_MS = 180_000;

let built: BuiltLambda;
let secrets: SecretsManagerServer;
let sns: SnsServer;
let s3: RunningS3;
let world: LambdaWorld | undefined;

beforeAll(async () => {
  built = synthBuiltLambda();
  [secrets, sns, s3] = await Promise.all([startSecretsManager(SECRET_ARN), startSns(), startS3()]);
}, TIMEOUT_MS);

afterAll(async () => {
  built?.remove();
  await Promise.all([secrets?.close(), sns?.close(), s3?.close()]);
});

afterEach(async () => {
  await world?.close();
  world = undefined;
  sns.published.length = 0;
});

async function startBundleWorld(): Promise<LambdaWorld> {
  const [fake, db] = await Promise.all([
    startFakeOkta({ org: loadOrg('demo'), credentials: { apiTokens: [{ token: OKTA_TOKEN }] } }),
    startDynalite(),
  ]);
  secrets.useSecret(JSON.stringify({ orgUrl: fake.url, apiToken: OKTA_TOKEN }));
  world = {
    fake,
    db,
    store: new DynamoFindingStore({ client: db.client, tableName: db.tableName, retentionDays: 400 }),
    doc: DynamoDBDocumentClient.from(db.client),
    org: new URL(fake.url).host,
    close: async () => {
      await Promise.all([fake.close(), db.close()]);
    },
  };
  return world;
}

/** Invokes the built handler (or another build of it) as Lambda would, on the loopback world. */
function invoke(
  w: LambdaWorld,
  event: unknown,
  bundle = join(built.assetDir, 'index.js'),
  extraEnv: Record<string, string> = {},
): Promise<Invocation> {
  const env = {
    ...extraEnv,
    ...resolveEnvironment(built, {
      tableName: w.db.tableName,
      topicArn: TOPIC_ARN,
      secretArn: SECRET_ARN,
      bucketName: s3.bucket,
    }),
    AWS_REGION: 'us-east-1',
    // s3rver's own credentials; the other loopback services take any.
    AWS_ACCESS_KEY_ID: 'S3RVER',
    AWS_SECRET_ACCESS_KEY: 'S3RVER',
    AWS_ENDPOINT_URL_S3: s3.endpoint,
    AWS_ENDPOINT_URL_DYNAMODB: w.db.endpoint,
    AWS_ENDPOINT_URL_SECRETS_MANAGER: secrets.endpoint,
    AWS_ENDPOINT_URL_SNS: sns.endpoint,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
  return invokeBuilt(bundle, event, env);
}

interface Summary {
  mode: string;
  scanId: string;
  status: string;
  dryRun: boolean;
  notified: boolean;
  errors: { source: string; message: string; requiredScope?: string }[];
  summary: { byStatus: Record<string, number> } | null;
  changes: Record<string, number> | null;
}

async function scheduledScan(w: LambdaWorld, bundle?: string): Promise<Summary> {
  const run = await invoke(w, SCHEDULED_EVENT, bundle);
  expect(run.ok, run.message).toBe(true);
  return run.result as unknown as Summary;
}

interface Digest {
  subject: string;
  attributes: Record<string, string>;
  email: string;
  json: { counts: Record<string, number>; resolved: { resource: { id: string } }[] };
}

function digests(): Digest[] {
  return sns.published.map((p) => {
    expect(p.topicArn).toBe(TOPIC_ARN);
    const message = JSON.parse(p.message) as { email: string; default: string };
    return { subject: p.subject, attributes: p.attributes, email: message.email, json: JSON.parse(message.default) };
  });
}

function metricNames(output: string): string[] {
  return output.split('\n').flatMap((line) => {
    if (!line.includes('"_aws"')) return [];
    const aws = JSON.parse(line)._aws as { CloudWatchMetrics: { Metrics: { Name: string }[] }[] };
    return aws.CloudWatchMetrics.flatMap((m) => m.Metrics.map((metric) => metric.Name));
  });
}

describe('the asset the stack ships', () => {
  it('is a locally bundled CommonJS handler with its source map', () => {
    expect(existsSync(join(built.assetDir, 'index.js.map'))).toBe(true);
    const code = readFileSync(join(built.assetDir, 'index.js'), 'utf8');
    expect(code).toMatch(/module\.exports|exports\./);
    expect(code).not.toMatch(/^\s*(import|export)\s/m);
  });

  it('carries the Okta SDK as a file of its own, which loading the handler does not read', () => {
    const node = (script: string): string =>
      execFileSync(process.execPath, ['-e', script], {
        cwd: built.assetDir,
        env: { PATH: process.env.PATH ?? '' },
        encoding: 'utf8',
      });
    // A fresh node, as Lambda's init phase: which files did loading the handler read?
    const loaded = node('require("./index.js"); console.log(JSON.stringify(Object.keys(require.cache)))');
    expect(JSON.parse(loaded)).toEqual([join(built.assetDir, 'index.js')]);
    // Every SDK module the handler requires on first use is found in the asset, nothing outside it.
    const code = readFileSync(join(built.assetDir, 'index.js'), 'utf8');
    const sdkModules = [...code.matchAll(/require\("(@okta\/okta-sdk-nodejs[^"]*)"\)/g)].map((m) => m[1]);
    expect(sdkModules).toContain(OKTA_SDK_MODULE);
    const files = node(`console.log(JSON.stringify(${JSON.stringify(sdkModules)}.map((m) => require.resolve(m))))`);
    for (const file of JSON.parse(files) as string[]) {
      expect(file.startsWith(join(built.assetDir, 'node_modules', OKTA_SDK_MODULE))).toBe(true);
    }
  });
});

describe('the built handler, on a schedule', () => {
  it(
    'scans the demo org completely (custom SCIM app, deleted token owner), records it and sends one digest',
    async () => {
      const w = await startBundleWorld();

      const { result, output } = await invoke(w, SCHEDULED_EVENT).then((run) => {
        expect(run.ok, run.message).toBe(true);
        return { result: run.result as unknown as Summary, output: run.output };
      });

      // The awkward answers really were given: a 404 and a 400 for the SCIM app, a 404 for the owner.
      const answered = w.fake.requests.map((r) => `${r.status} ${r.path}`);
      expect(answered).toEqual(
        expect.arrayContaining([expect.stringMatching(/^404 \/api\/v1\/apps\/.+\/connections\/default$/)]),
      );
      expect(answered).toEqual(expect.arrayContaining([expect.stringMatching(/^400 \/api\/v1\/apps\/.+\/features$/)]));
      expect(answered).toEqual(expect.arrayContaining([expect.stringMatching(/^404 \/api\/v1\/users\//)]));
      expect(result).toMatchObject({ mode: 'scan', status: 'complete', errors: [], dryRun: false, notified: true });
      const fails = result.summary!.byStatus.FAIL;
      expect(fails).toBeGreaterThan(10);
      expect(result.changes).toEqual({ NEW: fails, ONGOING: 0, REGRESSED: 0, RESOLVED: 0 });
      expect((await scanRecords(w))[0]).toMatchObject({ scanId: result.scanId, status: 'complete' });
      expect(await w.store.openFindings(w.org)).toHaveLength(fails);
      const [digest, ...more] = digests();
      expect(more).toEqual([]);
      expect(digest.attributes).toEqual({ org: w.org, status: 'complete', severity: 'critical' });
      expect(digest.json.counts.NEW).toBe(fails);
      expect(metricNames(output)).toEqual(
        expect.arrayContaining(['ScanFinished', 'ScanIncomplete', 'NotificationSent']),
      );
      expect(output).not.toContain(OKTA_TOKEN);
      // The report page, written by the bundled S3 client through AWS_ENDPOINT_URL_S3.
      const page = `scans/${w.org}/${result.scanId}.html`;
      expect(await s3.keys()).toEqual(expect.arrayContaining([page, `scans/${w.org}/${result.scanId}.json`]));
      expect((await s3.read(page)).body).toContain(w.org);
      expect(digest.email).toContain(`s3://${s3.bucket}/${page}`);
    },
    TIMEOUT_MS,
  );

  it(
    'sends nothing the second time when nothing changed (notify "changes", the default)',
    async () => {
      const w = await startBundleWorld();
      await scheduledScan(w);
      sns.published.length = 0;

      const second = await scheduledScan(w);

      expect(second).toMatchObject({ status: 'complete', notified: false });
      expect(second.changes).toEqual({ NEW: 0, ONGOING: second.summary!.byStatus.FAIL, REGRESSED: 0, RESOLVED: 0 });
      expect(sns.published).toEqual([]);
      expect((await scanRecords(w)).map((r) => r.status)).toEqual(['complete', 'complete']);
    },
    TIMEOUT_MS,
  );

  it(
    'marks a violation fixed in Okta as resolved and says so in the digest',
    async () => {
      const w = await startBundleWorld();
      await scheduledScan(w);
      sns.published.length = 0;
      // The SIEM token is recreated under the service account: same id, new owner.
      w.fake.org.apiTokens.find((t) => t.id === '00TSiemtBeSO9eNdl2hg')!.userId = '00uSvcIntegKjlQrKYYU';

      const second = await scheduledScan(w);

      expect(second.changes).toMatchObject({ NEW: 0, REGRESSED: 0, RESOLVED: 1 });
      const [digest] = digests();
      expect(digest.subject).toMatch(/: 1 violation resolved$/);
      expect(digest.json.resolved.map((r) => r.resource.id)).toEqual(['00TSiemtBeSO9eNdl2hg']);
      expect(unwrapped(digest.email)).toContain(
        'RESOLVED (1) - [HIGH] api-token-owner-is-human API token "SIEM export"',
      );
    },
    TIMEOUT_MS,
  );

  it(
    'reports a source it could not read as incomplete and resolves nothing it did not see',
    async () => {
      const w = await startBundleWorld();
      await scheduledScan(w);
      const openBefore = (await w.store.openFindings(w.org)).map((o) => o.finding.id).sort();
      sns.published.length = 0;
      w.fake.fault({ route: '/api/v1/agentPools', fault: { kind: 'status', status: 403 } });

      const second = await scheduledScan(w);

      expect(second.status).toBe('incomplete');
      expect(second.errors).toEqual([
        expect.objectContaining({ source: 'agentPools', requiredScope: 'okta.agentPools.read' }),
      ]);
      expect(second.changes!.RESOLVED).toBe(0);
      expect((await w.store.openFindings(w.org)).map((o) => o.finding.id).sort()).toEqual(openBefore);
      const [digest] = digests();
      expect(digest.attributes.status).toBe('incomplete');
    },
    TIMEOUT_MS,
  );

  it(
    'records a secret that can no longer be read under the org it pointed at',
    async () => {
      const w = await startBundleWorld();
      await scheduledScan(w);
      sns.published.length = 0;
      secrets.refuse('AccessDeniedException', 'not authorized to perform: secretsmanager:GetSecretValue');

      const run = await invoke(w, SCHEDULED_EVENT);

      expect(run.ok).toBe(false);
      // The AWS SDK's error name survived minification: it names what to fix.
      expect(run.message).toContain('AccessDeniedException: the function');
      expect((await scanRecords(w)).map((r) => r.status)).toEqual(['failed', 'complete']);
      const [digest] = digests();
      expect(digest.attributes).toMatchObject({ org: w.org, status: 'failed' });
      expect(unwrapped(digest.email)).toContain('STILL OPEN');
    },
    TIMEOUT_MS,
  );
});

describe('the built handler, told an owner was deactivated', () => {
  it(
    'publishes one alert naming the integrations that stop, from the record alone',
    async () => {
      const w = await startBundleWorld();
      await scheduledScan(w);
      sns.published.length = 0;
      const owner = (await w.store.openFindings(w.org)).find(
        (o) => o.finding.resource.type === 'api_token' && o.finding.owner?.login,
      )!.finding.owner!;
      const requestsBefore = w.fake.requests.length;
      const readsBefore = secrets.reads();
      const source = 'aws.partner/okta.com/acme/okta-scan';

      const run = await invoke(
        w,
        {
          version: '0',
          id: '7c1f0e4e-2b7a-4c0c-9d7e-0f6f4bd0a1c3',
          'detail-type': 'SystemLog',
          source,
          account: '123456789012',
          time: '2026-11-29T14:02:12Z',
          region: 'us-east-1',
          resources: [],
          detail: {
            uuid: 'e1b6c2a4-ad52-11f0-9a4e-3b2f5d6c7a81',
            published: '2026-11-29T14:02:11.402Z',
            eventType: 'user.lifecycle.suspend',
            actor: { id: '00uAdminq1w2e3r4t5y6', type: 'User', alternateId: 'it.admin@acme.com' },
            outcome: { result: 'SUCCESS', reason: null },
            target: [{ id: owner.id, type: 'User', alternateId: owner.login, displayName: 'Owner' }],
          },
        },
        undefined,
        { OKTA_EVENT_SOURCE: source },
      );

      expect(run.ok, run.message).toBe(true);
      expect(run.result).toMatchObject({ mode: 'ownerStopped', notified: true });
      expect(w.fake.requests.length).toBe(requestsBefore);
      expect(secrets.reads()).toBe(readsBefore);
      expect(sns.published).toHaveLength(1);
      const email = (JSON.parse(sns.published[0].message) as { email: string }).email.replace(/\s+/g, ' ');
      expect(email).toContain(`${owner.login} was suspended at 14:02 UTC on 2026-11-29`);
    },
    TIMEOUT_MS,
  );
});

describe('the built handler, invoked ad hoc', () => {
  it(
    'runs a dry run that writes and sends nothing',
    async () => {
      const w = await startBundleWorld();

      const result = (await invoke(w, { mode: 'scan', dryRun: true })).result as unknown as Summary;

      expect(result).toMatchObject({ status: 'complete', dryRun: true, notified: false, changes: null });
      expect(result.summary!.byStatus.FAIL).toBeGreaterThan(10);
      expect(await tableItems(w)).toEqual([]);
      expect(sns.published).toEqual([]);
    },
    TIMEOUT_MS,
  );

  it(
    'answers a what-if without recording or notifying',
    async () => {
      const w = await startBundleWorld();

      const run = await invoke(w, { mode: 'whatif', user: 'bob.martinez@acme.com' });

      expect(run.ok, run.message).toBe(true);
      expect(run.result).toMatchObject({ mode: 'whatif', found: true, user: { login: 'bob.martinez@acme.com' } });
      const impacted = (run.result!.impacts as { resource: { id: string } }[]).map((i) => i.resource.id);
      expect(impacted).toEqual(expect.arrayContaining(['00TBobTf3FalQ9nWyODo', '00TAdAgentHInx3YPsxm']));
      expect(await tableItems(w)).toEqual([]);
      expect(sns.published).toEqual([]);
    },
    TIMEOUT_MS,
  );

  it(
    'refuses a payload that does not fit before reading the secret, Okta or the table',
    async () => {
      const w = await startBundleWorld();
      const readsBefore = secrets.reads();

      const run = await invoke(w, { mode: 'scan', colour: 'red', rules: ['no-such-rule'] });

      expect(run.ok).toBe(false);
      expect(run.message).toContain('Invalid invocation payload');
      expect(run.problems).toEqual(
        expect.arrayContaining([
          expect.stringContaining('unknown key "colour"'),
          expect.stringContaining('"no-such-rule" is not a rule'),
        ]),
      );
      expect(secrets.reads()).toBe(readsBefore);
      expect(w.fake.requests).toEqual([]);
      expect(await tableItems(w)).toEqual([]);
      expect(sns.published).toEqual([]);
    },
    TIMEOUT_MS,
  );
});

describe('the Okta SDK in a file of its own', () => {
  it(
    'throws the very HttpError class the handler recognises: an HTML 404 reads as "not available", like Okta\'s own',
    async () => {
      const w = await startBundleWorld();
      // A proxy in front of Okta answering the custom SCIM app's 404 with a page, not Okta's JSON:
      // the SDK then throws HttpError, which the handler imports by path from the asset.
      const proxy = await startOktaProxy(w.fake.url);
      try {
        proxy.override(HTML_404_FOR_CONNECTIONS);
        secrets.useSecret(JSON.stringify({ orgUrl: proxy.url, apiToken: OKTA_TOKEN }));

        const result = await scheduledScan(w);

        expect(w.fake.requests.map((r) => `${r.status} ${r.path}`)).toEqual(
          expect.arrayContaining([expect.stringMatching(/^404 \/api\/v1\/apps\/.+\/connections\/default$/)]),
        );
        expect(result).toMatchObject({ status: 'complete', errors: [] });
      } finally {
        await proxy.close();
      }
    },
    TIMEOUT_MS,
  );
});

describe('the fix for minified error names', () => {
  it(
    'is what keeps the scan complete: with the old name-based check put back, the same bundle reports failed reads',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'okta-scan-name-check-'));
      try {
        const bundle = await buildWithNameBasedCheck(dir);
        const w = await startBundleWorld();

        const result = await scheduledScan(w, bundle);

        expect(result.status).toBe('incomplete');
        expect(result.errors.map((e) => e.source).sort()).toEqual(['owners', 'provisioning']);
        expect(result.errors.map((e) => e.message).join('\n')).toMatch(/404/);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
    TIMEOUT_MS,
  );
});
