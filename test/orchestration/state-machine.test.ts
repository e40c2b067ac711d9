import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { generateOrg } from '../../bench/generate-org';
import { loadOrg, startFakeOkta } from '../../fake-okta/server';
import type { FakeOkta, FakeOrgFixture } from '../../fake-okta/types';
import { COLLECT_RESERVE_MS, LONG_WAIT_MS } from '../../lambda/orchestration/collect-step';
import { DynamoFindingStore } from '../../lambda/sinks/dynamo-store';
import { requestKey } from '../support/request-log';
import type { TaskInvocation } from './built-lambda-tasks';
import { type ExecutionEvent, statesEntered } from './local-execution';
import { duplicates, exportedFindings, savedAnswers, uninterruptedScan } from './scan-evidence';
import { type ExecutionRun, type OrgName, type StateMachineWorld, startStateMachineWorld } from './state-machine-world';

// The state machine `cdk synth` produces, executed locally (aws-local-stepfunctions) with each
// Task state running the function as the stack bundles it, in a child process per invocation,
// against fake Okta servers, dynalite, s3rver (the artifact bucket) and loopback Secrets Manager
// and SNS. What a user of the nightly scan relies on: every org scanned whatever its size, no
// page read twice, a crashed step resumed, a failed org recorded while the others go on, a long
// rate-limit wait spent in a Wait state rather than in a sleeping Lambda, and one scan of an org
// at a time.

// One bundling synth, the large org and about thirty cold starts on a shared 2-core machine.
const TIMEOUT_MS = 180_000;
const TOKEN = 'ssws-state-machine-test-token-7c1d';
/**
 * Time a short invocation has, on top of the reserve the step keeps back, to read its checkpoint,
 * replay it and read on: enough to move on under CI's load (with 2 s, replaying the large org's
 * checkpoint on a loaded machine left too little for reads), short enough for several steps.
 */
const SHORT_DEADLINE_SLACK_MS = 4_000;
/** Step Functions' largest state input or output, in characters of JSON. */
const STATE_PAYLOAD_LIMIT = 256 * 1024;
/** More Collect steps than this for one org: the run makes no progress. */
const MAX_COLLECT_STEPS = 60;

let world: StateMachineWorld;
let store: DynamoFindingStore;
const fakes: FakeOkta[] = [];

beforeAll(async () => {
  world = await startStateMachineWorld();
  store = new DynamoFindingStore({ client: world.db.client, tableName: world.db.tableName, retentionDays: 400 });
}, TIMEOUT_MS);

afterAll(async () => {
  await world?.close();
});

afterEach(async () => {
  await Promise.all(fakes.splice(0).map((fake) => fake.close()));
  world.sns.published.length = 0;
});

/** A fake Okta org serving `fixture`, named in the configured org's secret. */
async function startOrg(org: OrgName, fixture: FakeOrgFixture): Promise<FakeOkta> {
  const fake = await startFakeOkta({ org: fixture, credentials: { apiTokens: [{ token: TOKEN }] } });
  fakes.push(fake);
  world.useOrg(org, fake.url, TOKEN);
  return fake;
}

const hostOf = (fake: FakeOkta): string => new URL(fake.url).host;

interface FinishedScan {
  scanId: string;
  status: string;
  notified: boolean;
}

interface OrgResult {
  state: string;
  org: string;
  scan?: FinishedScan;
  reason?: string;
  notified?: boolean;
}

const orgResults = (output: unknown): OrgResult[] => (output as { orgs: OrgResult[] }).orgs;
const collects = (invocations: TaskInvocation[]): TaskInvocation[] => invocations.filter((i) => i.state === 'Collect');

/** The run's evaluation time, as its first Collect step fixed it (the scan record keeps it). */
async function runStartedAt(fake: FakeOkta): Promise<string> {
  const [record] = await store.latestScans(hostOf(fake));
  return record.startedAt;
}

describe('one small org', () => {
  it(
    'runs Plan, one Collect and Finish: the scan is recorded, notified, and its reports and inventory kept under scans/',
    async () => {
      const fake = await startOrg('acme-demo', loadOrg('demo'));

      const { execution, invocations } = await world.execute({ orgs: ['acme-demo'] });

      expect(execution.failure).toBeUndefined();
      expect(invocations.map((i) => i.state)).toEqual(['Plan', 'Collect', 'Finish']);
      expect(statesEntered(execution.events)).toEqual(['Plan', 'Orgs', 'Collect', 'NextStep', 'Finish']);
      const [result] = orgResults(execution.output);
      expect(result).toMatchObject({
        state: 'finished',
        org: 'acme-demo',
        scan: { status: 'complete', notified: true },
      });
      const host = hostOf(fake);
      const scanId = result.scan?.scanId;
      expect((await store.latestScans(host))[0]).toMatchObject({ scanId, status: 'complete' });
      expect(world.sns.published.map((p) => p.attributes)).toEqual([
        expect.objectContaining({ org: host, status: 'complete' }),
      ]);
      const kept = (await world.s3.keys()).filter((key) => key.startsWith(`scans/${host}/`));
      expect(kept).toEqual(
        [`${scanId}.html`, `${scanId}.inventory.json`, `${scanId}.json`].map((f) => `scans/${host}/${f}`),
      );
      const inventory = JSON.parse((await world.s3.read(`scans/${host}/${scanId}.inventory.json`)).body);
      expect(JSON.stringify(inventory)).toContain(String(fake.org.apiTokens[0].id));
    },
    TIMEOUT_MS,
  );
});

describe('the large benchmark org, each invocation given only a few seconds', () => {
  it(
    'takes several Collect steps, requests nothing twice, and finds what one uninterrupted scan finds',
    async () => {
      const fake = await startOrg('acme-large', generateOrg('large'));

      const { execution, invocations } = await world.execute(
        { orgs: ['acme-large'] },
        {
          remainingMs: (state) => (state === 'Collect' ? COLLECT_RESERVE_MS + SHORT_DEADLINE_SLACK_MS : undefined),
          maxCollectSteps: MAX_COLLECT_STEPS,
        },
      );

      expect(execution.failure).toBeUndefined();
      const steps = collects(invocations);
      expect(steps.length).toBeGreaterThanOrEqual(3);
      expect(steps.map((s) => s.result?.state)).toEqual([...steps.slice(1).map(() => 'collecting'), 'collected']);
      // Only references pass between states, whatever the org's size (Step Functions' limit: 256 KB).
      const stateSizes = execution.events.map((e) => JSON.stringify('state' in e ? e.state : e).length);
      expect(Math.max(...stateSizes)).toBeLessThan(STATE_PAYLOAD_LIMIT);
      const served = fake.requests.map(requestKey);
      expect(duplicates(served)).toEqual([]);
      const [result] = orgResults(execution.output);
      expect(result).toMatchObject({ state: 'finished', scan: { status: 'complete' } });
      const whole = await uninterruptedScan(fake, TOKEN, await runStartedAt(fake));
      expect(await exportedFindings(world.s3, hostOf(fake), result.scan?.scanId ?? '')).toEqual(whole.findings);
      expect([...served].sort()).toEqual([...whole.requests].sort());
    },
    TIMEOUT_MS,
  );
});

describe('a Collect step that crashes halfway', () => {
  it(
    'is run again by the Retry, which resumes from the checkpoint and reads nothing it had saved',
    async () => {
      const fake = await startOrg('acme-crash', generateOrg('medium'));
      const killAfter = 120;
      let killedAt = -1;
      let saved: string[] = [];

      const { execution, invocations } = await world.execute(
        { orgs: ['acme-crash'] },
        {
          onStart: (state, running) => {
            if (state !== 'Collect' || killedAt >= 0) return;
            const watch = setInterval(() => {
              if (fake.requests.length < killAfter) return;
              clearInterval(watch);
              killedAt = fake.requests.length;
              running.child.kill('SIGKILL');
            }, 2);
            running.child.once('exit', () => clearInterval(watch));
          },
          afterInvocation: async (invocation) => {
            if (invocation.error && saved.length === 0) saved = await savedAnswers(world.s3, 'acme-crash');
          },
        },
      );

      expect(execution.failure).toBeUndefined();
      expect(collects(invocations).map((i) => i.error?.errorType ?? i.result?.state)).toEqual([
        'Runtime.ExitError',
        'collected',
      ]);
      expect(eventsOf(execution.events, 'StateRetried')).toEqual(['Collect']);
      const failed = execution.events.find((e) => e.type === 'StateFailed') as { Error?: string; Cause?: string };
      expect(failed.Error).toBe('Runtime.ExitError');
      expect(JSON.parse(failed.Cause ?? '')).toMatchObject({ errorMessage: expect.stringContaining('killed') });
      expect(saved.length).toBeGreaterThan(0);
      const afterKill = fake.requests.slice(killedAt).map(requestKey);
      expect(afterKill.filter((key) => saved.includes(key))).toEqual([]);
      const [result] = orgResults(execution.output);
      expect(result).toMatchObject({ state: 'finished', scan: { status: 'complete' } });
      const whole = await uninterruptedScan(fake, TOKEN, await runStartedAt(fake));
      expect(await exportedFindings(world.s3, hostOf(fake), result.scan?.scanId ?? '')).toEqual(whole.findings);
    },
    TIMEOUT_MS,
  );
});

/** The names of the states that had an event of this type. */
const eventsOf = (events: readonly ExecutionEvent[], type: string): string[] =>
  events.filter((e) => e.type === type).map((e) => (e as { state: { name: string } }).state.name);

describe('three orgs, one with a secret Okta refuses', () => {
  it(
    'scans and records two, records and notifies a failed scan of the third, and the execution succeeds',
    async () => {
      const [demo, preview, broken] = await Promise.all([
        startOrg('acme-demo', loadOrg('demo')),
        startOrg('acme-preview', loadOrg('demo')),
        startOrg('acme-broken', loadOrg('demo')),
      ]);
      world.useOrg('acme-broken', broken.url, 'ssws-a-token-okta-revoked');

      const { execution, invocations } = await world.execute({ orgs: ['acme-demo', 'acme-preview', 'acme-broken'] });

      expect(execution.failure).toBeUndefined();
      const [demoResult, previewResult, brokenResult] = orgResults(execution.output);
      expect(demoResult).toMatchObject({ state: 'finished', org: 'acme-demo', scan: { status: 'complete' } });
      expect(previewResult).toMatchObject({ state: 'finished', org: 'acme-preview', scan: { status: 'complete' } });
      expect(brokenResult).toMatchObject({ state: 'failed', org: 'acme-broken', notified: true });
      for (const fake of [demo, preview]) {
        expect((await store.latestScans(hostOf(fake)))[0]).toMatchObject({ status: 'complete' });
      }
      const [failed] = await store.latestScans(hostOf(broken));
      expect(failed).toMatchObject({ status: 'failed', failureReason: brokenResult.reason });
      const notified = world.sns.published.map((p) => `${p.attributes.org} ${p.attributes.status}`).sort();
      expect(notified).toEqual(
        [`${hostOf(demo)} complete`, `${hostOf(preview)} complete`, `${hostOf(broken)} failed`].sort(),
      );
      // The broken org's Collect was tried three times (two retries), then recorded as failed.
      const brokenRun = invocations.filter(
        (i) => i.state !== 'Plan' && JSON.stringify(i.payload).includes('"org":"acme-broken"'),
      );
      expect(brokenRun.map((i) => i.state)).toEqual(['Collect', 'Collect', 'Collect', 'RecordFailure']);
      const [refused] = brokenRun;
      expect(refused.error?.errorMessage).toContain('401');
      // The bundle is minified; the error's type is still its own name, as an operator reads it.
      expect(refused.error?.errorType).toBe('CredentialsError');
      // What the Catch handed RecordFailure: Step Functions' Error and Cause, the Cause Lambda's JSON.
      expect((brokenRun[3].payload as { error: unknown }).error).toEqual({
        Error: refused.error?.errorType,
        Cause: JSON.stringify(refused.error),
      });
      expect(brokenResult.reason).toBe(refused.error?.errorMessage);
    },
    TIMEOUT_MS,
  );
});

describe('a rate limit that asks for a long wait', () => {
  it(
    'ends the Collect step with the wait, which the state machine spends in WaitForRateLimit',
    async () => {
      const fake = await startOrg('acme-limited', loadOrg('demo'));
      const resetInSeconds = LONG_WAIT_MS / 1000 + 2;
      fake.fault({
        route: '/api/v1/apps',
        method: 'GET',
        fault: { kind: 'rateLimit', withResetHeader: true, resetInSeconds },
        times: 1,
      });

      const { execution, invocations } = await world.execute({ orgs: ['acme-limited'] });

      expect(execution.failure).toBeUndefined();
      const throttled = fake.requests.filter((r) => r.status === 429);
      expect(throttled).toHaveLength(1);
      // The next step replayed what the first had read: only the throttled request was sent again.
      expect(duplicates(fake.requests.map(requestKey))).toEqual(throttled.map(requestKey));
      const [waited, ...rest] = collects(invocations);
      // The step returned with Okta's wait instead of sleeping through it.
      expect(waited.result).toEqual({ state: 'collecting', waitSeconds: expect.any(Number) });
      const waitSeconds = waited.result?.waitSeconds as number;
      expect(waitSeconds).toBeGreaterThan(LONG_WAIT_MS / 1000);
      expect(waitSeconds).toBeLessThanOrEqual(resetInSeconds + 2);
      expect(rest.map((i) => i.result?.state)).toEqual(['collected']);
      expect(statesEntered(execution.events)).toEqual([
        'Plan',
        'Orgs',
        'Collect',
        'NextStep',
        'WaitForRateLimit',
        'Collect',
        'NextStep',
        'Finish',
      ]);
      const wait = execution.events.find((e) => e.type === 'StateEntered' && e.state.name === 'WaitForRateLimit');
      expect((wait as unknown as { state: { input: { step: unknown } } }).state.input.step).toEqual(waited.result);
      expect(orgResults(execution.output)[0]).toMatchObject({ state: 'finished', scan: { status: 'complete' } });
    },
    TIMEOUT_MS,
  );
});

describe('an execution started while another one scans the org', () => {
  it(
    'skips that org (Skipped) instead of starting a second scan of it',
    async () => {
      const fake = await startOrg('acme-demo', loadOrg('demo'));
      let second: ExecutionRun | undefined;

      // The second execution starts once the first one's Collect has taken the org, before its Finish.
      const first = await world.execute(
        { orgs: ['acme-demo'] },
        {
          afterInvocation: async (invocation) => {
            if (invocation.state === 'Collect' && !second) second = await world.execute({ orgs: ['acme-demo'] });
          },
        },
      );

      expect(second?.execution.failure).toBeUndefined();
      expect(statesEntered(second?.execution.events ?? [])).toEqual(['Plan', 'Orgs', 'Collect', 'NextStep', 'Skipped']);
      const [scanned] = orgResults(first.execution.output);
      expect(scanned).toMatchObject({ state: 'finished', scan: { status: 'complete' } });
      // The reason names the scan that holds the org.
      expect(orgResults(second?.execution.output)).toEqual([
        { state: 'skipped', org: 'acme-demo', reason: expect.stringContaining(scanned.scan?.scanId ?? '-') },
      ]);
      const records = await store.latestScans(hostOf(fake));
      expect(records.map((r) => r.status)).toEqual(['complete']);
      expect(world.sns.published).toHaveLength(1);
    },
    TIMEOUT_MS,
  );
});
