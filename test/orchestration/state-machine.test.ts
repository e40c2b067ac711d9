import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadOrg, startFakeOkta } from '../../fake-okta/server';
import type { FakeOkta, FakeOrgFixture, RecordedRequest } from '../../fake-okta/types';
import { generateOrg } from '../../bench/generate-org';
import { parseConfig } from '../../lambda/config';
import { COLLECT_RESERVE_MS } from '../../lambda/orchestration/collect-step';
import { scan } from '../../lambda/scan';
import { DynamoFindingStore } from '../../lambda/sinks/dynamo-store';
import { statesEntered } from './local-execution';
import { type OrgName, type StateMachineWorld, startStateMachineWorld } from './state-machine-world';

// The state machine `cdk synth` produces, executed locally (aws-local-stepfunctions), each Task
// state running the function as the stack bundles it, in a child process, against the fake Okta
// server, dynalite, s3rver (the artifact bucket), and loopback Secrets Manager and SNS.

const TIMEOUT_MS = 180_000;
const TOKEN = 'ssws-state-machine-test-token-7c1d';

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

interface OrgResult {
  state: string;
  org: string;
  scan?: { scanId: string; status: string; notified: boolean; summary: { byStatus: Record<string, number> } | null };
  reason?: string;
  notified?: boolean;
}

const orgResults = (output: unknown): OrgResult[] => (output as { orgs: OrgResult[] }).orgs;

describe.skip('one small org', () => {
  it(
    'runs Plan, one Collect, Finish: the scan is recorded and notified, its report and inventory kept under scans/',
    async () => {
      const fake = await startOrg('acme-demo', loadOrg('demo'));
      const { execution, invocations } = await world.execute({ orgs: ['acme-demo'] });
      console.log(JSON.stringify(execution.output, null, 1).slice(0, 2000), invocations.map((i) => [i.state, i.durationMs, i.error]));
      expect(execution.failure).toBeUndefined();
      expect(invocations.map((i) => i.state)).toEqual(['Plan', 'Collect', 'Finish']);
      expect(statesEntered(execution.events)).toEqual(['Plan', 'Orgs', 'Collect', 'NextStep', 'Finish']);
      const [result] = orgResults(execution.output);
      expect(result).toMatchObject({ state: 'finished', org: 'acme-demo', scan: { status: 'complete', notified: true } });
      const host = hostOf(fake);
      const [record] = await store.latestScans(host);
      expect(record).toMatchObject({ scanId: result.scan?.scanId, status: 'complete' });
      expect(world.sns.published.map((p) => p.attributes.org)).toEqual([host]);
      const keys = await world.s3.keys();
      console.log(keys);
    },
    TIMEOUT_MS,
  );
});

const requestKey = (r: RecordedRequest): string =>
  `${r.method} ${r.path}?${new URLSearchParams(Object.entries(r.query).sort()).toString()}`;

interface ReportFinding {
  id: string;
  status: string;
}

/** The scan's JSON report as the Finish step exported it. */
async function exportedFindings(host: string, scanId: string): Promise<string[]> {
  const { body } = await world.s3.read(`scans/${host}/${scanId}.json`);
  return (JSON.parse(body) as { findings: ReportFinding[] }).findings.map((f) => `${f.id} ${f.status}`).sort();
}

/** One uninterrupted scan of the same org at the same evaluation time, in process. */
async function uninterruptedScan(fake: FakeOkta, now: string): Promise<{ findings: string[]; requests: string[] }> {
  fake.resetRequests();
  const { report } = await scan({
    connection: { orgUrl: fake.url, auth: { kind: 'token', token: TOKEN } },
    config: parseConfig({}),
    now: new Date(now),
  });
  return { findings: report.findings.map((f) => `${f.id} ${f.status}`).sort(), requests: fake.requests.map(requestKey) };
}

describe('a large org with a short invocation deadline', () => {
  it(
    'takes several Collect steps, reads no request twice, and finds what one uninterrupted scan finds',
    async () => {
      const size = (process.env.SFN_SIZE ?? 'large') as 'medium' | 'large';
      let t = Date.now();
      const fake = await startOrg('acme-large', generateOrg(size));
      console.log('generate', Date.now() - t);
      t = Date.now();
      const slack = Number(process.env.SFN_SLACK ?? 4000);
      const { execution, invocations } = await world.execute(
        { orgs: ['acme-large'] },
        { remainingMs: (state) => (state === 'Collect' ? COLLECT_RESERVE_MS + slack : 900_000) },
      );
      console.log('execution', Date.now() - t, invocations.map((i) => [i.state, i.durationMs, i.result ?? i.error]));
      expect(execution.failure).toBeUndefined();
      const served = [...fake.requests];
      const requests = fake.requests.map(requestKey);
      const dup = requests.filter((k, i) => requests.indexOf(k) !== i);
      console.log('requests', requests.length, 'dups', dup.slice(0, 10));
      const [result] = orgResults(execution.output);
      const host = hostOf(fake);
      const [record] = await store.latestScans(host);
      t = Date.now();
      const whole = await uninterruptedScan(fake, record.startedAt);
      console.log('whole', Date.now() - t, whole.requests.length);
      const found = await exportedFindings(host, result.scan!.scanId);
      expect(found).toEqual(whole.findings);
      for (const inv of invocations) {
        const mine = served.filter((r) => r.at >= inv.startedAt && r.at <= inv.startedAt + inv.durationMs);
        console.log(inv.state, mine.length, mine.filter((r) => dup.includes(requestKey(r)) || requestKey(r).includes('system.api_token.create')).map((r) => [r.status, r.at - inv.startedAt, r.path, r.query.filter?.slice(0, 60)]));
      }
      const missing = whole.requests.filter((k) => !requests.includes(k));
      const extra = requests.filter((k) => !whole.requests.includes(k));
      console.log('missing', missing.slice(0, 5), 'extra', extra.slice(0, 5));
    },
    TIMEOUT_MS,
  );
});
