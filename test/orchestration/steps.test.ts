import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadOrg, startFakeOkta } from '../../fake-okta/server';
import type { FakeOkta } from '../../fake-okta/types';
import { parseConfig } from '../../lambda/config';
import { CredentialsError } from '../../lambda/errors';
import { runJob } from '../../lambda/job';
import type { JobDeps } from '../../lambda/job-deps';
import { scanWithLedger } from '../../lambda/ledger-scan';
import type { ScanSummary } from '../../lambda/modes/scan';
import { COLLECT_RESERVE_MS } from '../../lambda/orchestration/collect-step';
import { validateRuleIds } from '../../lambda/scan';
import { S3CheckpointStore } from '../../lambda/sinks/checkpoint-s3';
import type { Digest } from '../../lambda/sinks/digest';
import { DynamoFindingStore } from '../../lambda/sinks/dynamo-store';
import { type RunningDynalite, startDynalite } from '../support/dynalite';
import { requestKey } from '../support/request-log';
import { type RunningS3, startS3 } from '../support/s3-server';

// The state machine's steps, driven in-process as the state machine drives them: Plan, then
// Collect until collected (each Collect stopped after a few requests by a short invocation
// deadline), then Finish; and RecordFailure for an org whose secret cannot be used.

const TOKEN = 'ssws-orchestration-steps-token';
const NIGHTLY = new Date('2026-11-28T02:00:00Z');
const quiet = { info() {}, warn() {}, error() {} };

let fake: FakeOkta;
let db: RunningDynalite;
let s3: RunningS3;

beforeAll(async () => {
  [fake, db, s3] = await Promise.all([
    startFakeOkta({ org: loadOrg('demo'), credentials: { apiTokens: [{ token: TOKEN }] } }),
    startDynalite(),
    startS3(),
  ]);
});

afterAll(async () => {
  await Promise.all([fake?.close(), db?.close(), s3?.close()]);
});

interface World {
  deps: JobDeps;
  published: Digest[];
  /** A new invocation: its deadline starts again. */
  nextInvocation(): void;
}

function world(requestsPerStep = Number.POSITIVE_INFINITY): World {
  const published: Digest[] = [];
  const config = parseConfig({ notify: 'always' });
  const store = new DynamoFindingStore({ client: db.client, tableName: db.tableName, retentionDays: 400 });
  let stepStart = fake.requests.length;
  let ids = 0;
  const deps: JobDeps = {
    config,
    store,
    notifier: {
      async publish(digest) {
        published.push(digest as Digest);
        return { messageId: `m-${published.length}` };
      },
    },
    loadConnection: async () => {
      throw new Error('the steps read the org secret, not the stack secret');
    },
    connectTo: async (secret) => {
      if (secret !== 'okta/prod')
        throw new CredentialsError(`Could not read the Okta secret ${secret}: ResourceNotFoundException`);
      return { orgUrl: fake.url, auth: { kind: 'token', token: TOKEN } };
    },
    secretName: 'okta/stack',
    orgs: [
      { name: 'acme-prod', secret: 'okta/prod', config },
      { name: 'acme-gone', secret: 'okta/gone', config },
    ],
    checkpoints: new S3CheckpointStore({ client: s3.client, bucket: s3.bucket }),
    // Each invocation's time runs short once Okta has answered `requestsPerStep` of its requests.
    remainingMs: () =>
      fake.requests.length - stepStart < requestsPerStep ? COLLECT_RESERVE_MS + 60_000 : COLLECT_RESERVE_MS - 1,
    scan: ({ recordLedger, ...options }) =>
      scanWithLedger({ ...options, clock: () => NIGHTLY }, { store, save: recordLedger === true }),
    checkRuleIds: validateRuleIds,
    log: quiet,
    metrics: { count() {}, duration() {} },
    now: () => NIGHTLY,
    newScanId: () => `scan-${++ids}-${Math.random().toString(36).slice(2, 8)}`,
    recordPointer: 'the test table',
  };
  return {
    deps,
    published,
    nextInvocation: () => {
      stepStart = fake.requests.length;
    },
  };
}

type Run = { org: string; runId: string; dryRun: boolean };

async function collectUntilDone(w: World, run: Run): Promise<{ steps: number; waits: number }> {
  let steps = 0;
  let waits = 0;
  for (;;) {
    w.nextInvocation();
    steps += 1;
    const step = (await runJob({ orchestration: 'collect', run }, w.deps)) as { state: string; waitSeconds?: number };
    if (step.state === 'collected') return { steps, waits };
    expect(step.state).toBe('collecting');
    if ((step.waitSeconds ?? 0) > 0) waits += 1;
    if (steps > 200) throw new Error('the collection never finished');
  }
}

describe('the Plan step', () => {
  it('plans every configured org when the input names none, one run id for the execution', async () => {
    const plan = (await runJob({ orchestration: 'plan', input: {} }, world().deps)) as { runs: { run: Run }[] };
    expect(plan.runs.map((r) => r.run.org)).toEqual(['acme-prod', 'acme-gone']);
    expect(new Set(plan.runs.map((r) => r.run.runId)).size).toBe(1);
    expect(plan.runs[0].run.dryRun).toBe(false);
  });

  it('refuses an unknown org, an unknown rule and an unknown key before any work, naming each', async () => {
    const before = fake.requests.length;
    await expect(
      runJob(
        { orchestration: 'plan', input: { orgs: ['acme-prod', 'acme-typo'], rules: ['no-such-rule'] } },
        world().deps,
      ),
    ).rejects.toMatchObject({
      problems: expect.arrayContaining([
        expect.stringContaining('orgs: "acme-typo" is not configured (configured: acme-prod, acme-gone)'),
        expect.stringContaining('rules:'),
      ]),
    });
    await expect(runJob({ orchestration: 'plan', input: { org: 'acme-prod' } }, world().deps)).rejects.toThrow(
      /Invalid state machine input/,
    );
    expect(fake.requests.length).toBe(before);
  });
});

describe('Collect steps cut short by the deadline, then Finish', () => {
  it('reads every page once over many steps and reports what one uninterrupted scan reports', async () => {
    fake.resetRequests();
    const whole = world();
    const wholeRun = { org: 'acme-prod', runId: 'run-whole', dryRun: true };
    expect(await collectUntilDone(whole, wholeRun)).toEqual({ steps: 1, waits: 0 });
    const wholeRequests = fake.requests.map(requestKey).sort();
    const wholeScan = ((await runJob({ orchestration: 'finish', run: wholeRun }, whole.deps)) as { scan: ScanSummary })
      .scan;

    fake.resetRequests();
    const w = world(7);
    const run = { org: 'acme-prod', runId: 'run-deadline', dryRun: true };
    const { steps } = await collectUntilDone(w, run);
    expect(steps).toBeGreaterThan(3);
    expect(fake.requests.map(requestKey).sort()).toEqual(wholeRequests);

    const collected = fake.requests.length;
    const finished = (await runJob({ orchestration: 'finish', run }, w.deps)) as { state: string; scan: ScanSummary };
    // Finish replays the checkpoint: Okta is asked nothing more.
    expect(fake.requests.length).toBe(collected);
    expect(finished.state).toBe('finished');
    expect(finished.scan.status).toBe(wholeScan.status);
    expect(finished.scan.summary).toEqual(wholeScan.summary);
  });

  it('records and notifies the finished scan once, and frees the org for the next run', async () => {
    const w = world();
    const run = { org: 'acme-prod', runId: 'run-recorded', dryRun: false };
    await collectUntilDone(w, run);
    const finished = (await runJob({ orchestration: 'finish', run }, w.deps)) as { scan: { notified: boolean } };
    expect(finished.scan.notified).toBe(true);
    expect(w.published).toHaveLength(1);
    const nextNight = { ...run, runId: 'run-next-night' };
    expect(await runJob({ orchestration: 'collect', run: nextNight }, w.deps)).toMatchObject({ state: 'collected' });
    await runJob({ orchestration: 'finish', run: nextNight }, w.deps);
  });
});

describe('two executions of the same org', () => {
  it('skips the org in the second while the first holds it', async () => {
    const w = world(3);
    const first = { org: 'acme-prod', runId: 'run-first', dryRun: false };
    expect(await runJob({ orchestration: 'collect', run: first }, w.deps)).toMatchObject({ state: 'collecting' });
    const second = await runJob({ orchestration: 'collect', run: { ...first, runId: 'run-second' } }, w.deps);
    expect(second).toMatchObject({ state: 'skipped', reason: expect.stringContaining('Another scan') });
    await collectUntilDone(w, first);
    await runJob({ orchestration: 'finish', run: first }, w.deps);
  });
});

describe('the RecordFailure step', () => {
  it('records and notifies a failed scan of the org, with the Lambda error message', async () => {
    const w = world();
    const run = { org: 'acme-gone', runId: 'run-gone', dryRun: false };
    const collect = runJob({ orchestration: 'collect', run }, w.deps);
    const thrown = await collect.catch((error: Error) => error);
    expect(thrown).toBeInstanceOf(CredentialsError);
    const cause = JSON.stringify({ errorType: 'Error', errorMessage: (thrown as Error).message, trace: [] });
    const failed = await runJob({ orchestration: 'failed', run, error: { Error: 'Error', Cause: cause } }, w.deps);
    expect(failed).toMatchObject({
      state: 'failed',
      org: 'acme-gone',
      reason: 'Could not read the Okta secret okta/gone: ResourceNotFoundException',
      notified: true,
    });
    expect(w.published).toHaveLength(1);
    expect(w.published[0].email).toContain('ResourceNotFoundException');
  });
});
