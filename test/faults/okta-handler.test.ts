import { DeleteCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../lambda/domain/finding';
import { createHandler } from '../../lambda/handler';
import type { ScanSummary } from '../../lambda/modes/scan';
import { ledgerKeys } from '../../lambda/sinks/dynamo-keys';

import { IDS, logEvent } from '../okta/fixtures';
import { OKTA_CASES } from './okta-cases';
import { clientTuning, DEFAULT_TEST_TIMEOUT_MS, fastOktaClient } from './support/fast-okta-client';
import { expectNoSecret, expectNothingFalselyClean, expectNoViolationLost, failedSources } from './support/invariants';
import {
  type CaseWorld,
  captureOutput,
  metrics,
  OKTA_TOKEN,
  type OutputCapture,
  publishedDigests,
  type Servers,
  scanRecords,
  sns,
  startCase,
  startServers,
  tableText,
} from './support/world';

// The Okta rows of the matrix through the unmodified Lambda handler: a clean scheduled scan
// first, then the same scan with the fault. What is recorded in DynamoDB, what is sent to SNS,
// and that no violation recorded by the clean scan is resolved by the scan that could not see it.

const SCHEDULED = {
  source: 'aws.events',
  'detail-type': 'Scheduled Event',
  id: 'faults',
  time: '2026-11-28T02:00:00Z',
};

// The unmodified handler, with a short Okta timeout and backoffs recorded instead of slept.
const handler = createHandler({ oktaClient: fastOktaClient });

const ALICE_TOKEN = '00Talice0000000000001';

let servers: Servers;
let world: CaseWorld | undefined;
let output: OutputCapture;

beforeAll(async () => {
  output = captureOutput();
  servers = await startServers();
});
afterAll(async () => {
  output.restore();
  await servers.close();
});
afterEach(async () => {
  clientTuning.requestTimeoutMs = DEFAULT_TEST_TIMEOUT_MS;
  await world?.close();
  world = undefined;
});

async function forgetLedger(org: string): Promise<void> {
  const { Items = [] } = await servers.doc.send(
    new QueryCommand({
      TableName: servers.db.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': ledgerKeys.pk(org) },
    }),
  );
  for (const item of Items) {
    await servers.doc.send(new DeleteCommand({ TableName: servers.db.tableName, Key: { pk: item.pk, sk: item.sk } }));
  }
}

describe('the Lambda against a misbehaving Okta', () => {
  it.each(OKTA_CASES.map((c) => [c.name, c] as const))('%s', async (_, c) => {
    world = await startCase(servers);
    const { store } = servers;
    const payload = c.rules ? { rules: c.rules } : SCHEDULED;
    const clean = (await handler(payload)) as ScanSummary;
    expect(clean.status).toBe('complete');
    const cleanFindings = await store.scanFindings(clean.scanId);
    const openBefore = (await store.openFindings(world.org)).map((o) => o.finding.id);
    sns.resetHistory();
    output.mark();
    clientTuning.waits.length = 0;
    // Some faults rewrite events the clean scan already read (Okta's log never does): the faulted
    // scan reads the whole window, as a first scan would, rather than from the ledger's cursor.
    await forgetLedger(world.org);
    c.arrange(world);

    const result = (await handler(payload)) as ScanSummary;

    const expected = c.failed.length > 0 ? 'incomplete' : 'complete';
    expect(result).toMatchObject({ mode: 'scan', status: expected, dryRun: false });
    expect(failedSources(result)).toEqual([...c.failed].sort());
    // DynamoDB: the scan and each of its findings are recorded, whatever could not be read.
    const [record] = await scanRecords(servers, world.org);
    expect(record).toMatchObject({ scanId: result.scanId, status: expected, summary: result.summary });
    const findings = await store.scanFindings(result.scanId);
    const total = Object.values(result.summary!.byStatus).reduce((a, b) => a + b, 0);
    expect(findings).toHaveLength(total);
    expectNothingFalselyClean({ errors: result.errors, findings } as unknown as Report);
    if (!c.changesData) {
      expectNoViolationLost(cleanFindings, findings);
      expect(result.changes).toMatchObject({ NEW: 0, REGRESSED: 0 });
    }
    for (const [ruleId, n] of Object.entries(c.findingsPerRule ?? {})) {
      expect(findings.filter((f) => f.ruleId === ruleId)).toHaveLength(n);
    }
    // Nothing the clean scan found open is resolved by a scan that could not see it.
    expect(result.changes!.RESOLVED).toBe(0);
    const openAfter = (await store.openFindings(world.org)).map((o) => o.finding.id);
    expect(openAfter).toEqual(expect.arrayContaining(openBefore));
    // SNS: an incomplete scan is always announced, with what was not read; an unchanged complete one is not.
    const digests = publishedDigests();
    const announce = expected === 'incomplete' || result.changes!.NEW + result.changes!.REGRESSED > 0;
    expect(result.notified).toBe(announce);
    expect(digests).toHaveLength(announce ? 1 : 0);
    if (announce) {
      expect(digests[0].attributes.status).toBe(expected);
      expect(digests[0].json.errors.map((e) => e.source).sort()).toEqual([...c.failed].sort());
    }
    const lines = output.sinceMark();
    expect(metrics(lines).ScanIncomplete).toBe(expected === 'incomplete' ? 1 : 0);
    expectNoSecret([...lines, ...digests.map((d) => d.raw), JSON.stringify(result)].join('\n'), [OKTA_TOKEN]);
  });
});

describe('the Lambda when a token owner is deleted between two scans', () => {
  it('records the dead owner as a new critical violation and keeps the human-owner violation open, never resolved', async () => {
    world = await startCase(servers);
    const { store } = servers;
    const first = (await handler(SCHEDULED)) as ScanSummary;
    const open = await store.openFindings(world.org);
    const isHuman = open.find(
      (o) => o.finding.ruleId === 'api-token-owner-is-human' && o.finding.resource.id === ALICE_TOKEN,
    );
    expect(isHuman, 'a first scan records the token of a person as a violation').toBeDefined();
    expect((await store.findingHistory(world.org, isHuman!.finding.id)).map((h) => h.state)).toEqual(['NEW']);
    sns.resetHistory();
    world.fake.org.users = world.fake.org.users.filter((u) => u.id !== IDS.alice);

    const second = (await handler(SCHEDULED)) as ScanSummary;

    expect(second.status).toBe('complete');
    const findings = await store.scanFindings(second.scanId);
    const of = (ruleId: string) => findings.find((f) => f.ruleId === ruleId && f.resource.id === ALICE_TOKEN);
    expect(of('api-token-owner-not-active')).toMatchObject({ status: 'FAIL', severity: 'critical' });
    expect(of('api-token-owner-is-human')?.status).toBe('UNKNOWN');
    const history = await store.findingHistory(world.org, isHuman!.finding.id);
    expect(history.map((h) => h.scanId)).toEqual([first.scanId, second.scanId]);
    expect(history.map((h) => h.state)).toEqual(['NEW', 'ONGOING']);
    const openNow = await store.openFindings(world.org);
    expect(openNow.find((o) => o.finding.id === isHuman!.finding.id)?.lastSeen).toBe(isHuman!.lastSeen);
    const notActive = openNow.find((o) => o.finding.id === of('api-token-owner-not-active')!.id);
    expect(notActive, 'the dead owner is an open violation').toBeDefined();
    const [digest] = publishedDigests();
    expect(digest.attributes).toMatchObject({ status: 'complete', severity: 'critical' });
    expect(digest.email).toContain('api-token-owner-not-active');
  });
});

describe('the Lambda when a Workflows connection leaves the System Log window', () => {
  const ageWorkflowsEvents = (w: CaseWorld, days: number): void => {
    for (const event of w.fake.org.logs) {
      if (String(event.eventType).startsWith('workflows.')) {
        event.published = new Date(Date.now() - days * 86_400_000).toISOString();
      }
    }
  };

  it('keeps its violation open when its last authorization ages out of the lookback window', async () => {
    world = await startCase(servers);
    await handler(SCHEDULED);
    const open = (await servers.store.openFindings(world.org)).filter((o) => o.finding.resource.id === 'wfc1');
    expect(open.length, 'a first scan records the connection authorized by a person').toBeGreaterThan(0);
    ageWorkflowsEvents(world, 100);

    const second = (await handler(SCHEDULED)) as ScanSummary;

    expect(second.changes!.RESOLVED).toBe(0);
    const openNow = (await servers.store.openFindings(world.org)).map((o) => o.finding.id);
    expect(openNow).toEqual(expect.arrayContaining(open.map((o) => o.finding.id)));
  });

  it('resolves its violation when the connection is deleted in Okta', async () => {
    world = await startCase(servers);
    await handler(SCHEDULED);
    const open = (await servers.store.openFindings(world.org)).filter((o) => o.finding.resource.id === 'wfc1');
    const target = [
      { id: IDS.carol, type: 'User', alternateId: 'carol@example.com', displayName: 'carol' },
      { id: 'wfc1', type: 'WorkflowsConnection', displayName: 'Okta - prod (Carol)' },
    ];
    world.fake.org.logs.push(
      logEvent(
        'wf-del',
        'workflows.user.connection.delete',
        // After the last scan: the next one reads the log from where that one stopped.
        new Date(Date.now() - 1_000).toISOString(),
        target[0] as never,
        target as never,
      ),
    );

    const second = (await handler(SCHEDULED)) as ScanSummary;

    expect(second.changes!.RESOLVED).toBe(open.length);
    const findings = await servers.store.scanFindings(second.scanId);
    expect(findings.filter((f) => f.resource.id === 'wfc1').map((f) => f.status)).toEqual(['PASS', 'PASS']);
    const openNow = (await servers.store.openFindings(world.org)).map((o) => o.finding.id);
    for (const o of open) expect(openNow).not.toContain(o.finding.id);
  });
});

describe('the table', () => {
  // Runs last: it reads everything the rows above wrote.
  it('holds no secret after every row', async () => {
    expectNoSecret(await tableText(servers), [OKTA_TOKEN]);
    expectNoSecret(output.all.join('\n'), [OKTA_TOKEN]);
  });
});
