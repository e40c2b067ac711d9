import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Finding } from '../../lambda/domain/finding';
import { LOG_OVERLAP_MS } from '../../lambda/domain/ledger';
import { handler } from '../../lambda/handler';
import type { ScanSummary } from '../../lambda/modes/scan';
import { SCHEDULED_EVENT } from '../support/lambda-events';
import { CAROL, CONNECTION_ID, day, ledgerOrg, logSinces, SERVICE, workflowsEvent } from '../support/ledger-org';
import { captureOutput, type LambdaWorld, type OutputCapture, startWorld } from './harness';

// The Lambda keeps the ledger in its DynamoDB table (dynalite here): nightly scans on a clock the
// test moves, against a fake Okta whose log keeps the 90 days before that clock.

let output: OutputCapture;
let world: LambdaWorld;

beforeAll(() => {
  output = captureOutput();
});
afterAll(() => output.restore());
beforeEach(async () => {
  output.mark();
  vi.useFakeTimers({ toFake: ['Date'] });
  world = await startWorld({ org: ledgerOrg(), logClock: () => Date.now() });
});
afterEach(async () => {
  vi.useRealTimers();
  await world.close();
});

async function nightly(n: number, payload: object = SCHEDULED_EVENT): Promise<ScanSummary> {
  vi.setSystemTime(day(n));
  world.fake.resetRequests();
  return (await handler(payload)) as ScanSummary;
}

async function connectionFinding(scanId: string): Promise<Finding | undefined> {
  return (await world.store.scanFindings(scanId)).find(
    (f) => f.ruleId === 'workflows-connection-authorized-by-human' && f.resource.id === CONNECTION_ID,
  );
}

describe('the Lambda with its ledger', () => {
  it('finds the day-0 connection on day 10 and day 200, and resolves it only when a service account reauthorizes it', async () => {
    const first = await nightly(10);
    expect(first.status).toBe('complete');
    expect(await connectionFinding(first.scanId)).toMatchObject({ status: 'FAIL', owner: { id: CAROL.id } });

    const later = await nightly(200);
    expect(later.changes).toMatchObject({ NEW: expect.any(Number), RESOLVED: 0 });
    expect(await connectionFinding(later.scanId)).toMatchObject({
      status: 'FAIL',
      evidence: { lastAuthorizedAt: day(0).toISOString() },
    });
    expect((await world.store.openFindings(world.org)).some((o) => o.finding.resource.id === CONNECTION_ID)).toBe(true);

    world.fake.org.logs.push(workflowsEvent('reauthorize', day(203), SERVICE, 'handler-reauth-0001'));
    const fixed = await nightly(204);
    expect(await connectionFinding(fixed.scanId)).toMatchObject({ status: 'PASS', owner: { id: SERVICE.id } });
    expect(fixed.changes?.RESOLVED).toBeGreaterThan(0);
    expect((await world.store.openFindings(world.org)).some((o) => o.finding.resource.id === CONNECTION_ID)).toBe(
      false,
    );
  });

  it('reads only the new part of the log night after night, and a dry run moves nothing', async () => {
    await nightly(100);
    expect(logSinces(world.fake.requests)).toEqual([day(10).toISOString()]);
    await nightly(101);
    expect(logSinces(world.fake.requests)).toEqual([new Date(day(100).getTime() - LOG_OVERLAP_MS).toISOString()]);
    await nightly(102, { dryRun: true });
    await nightly(103);
    // The dry run on day 102 did not move the cursor: day 103 reads from day 101.
    expect(logSinces(world.fake.requests)).toEqual([new Date(day(101).getTime() - LOG_OVERLAP_MS).toISOString()]);
  });

  it('leaves the cursor and the ledger as they were when the log cannot be read', async () => {
    await nightly(10);
    const before = await world.store.loadLedger(world.org);
    world.fake.fault({ route: '/api/v1/logs', fault: { kind: 'status', status: 403 } });
    const failed = await nightly(11);
    world.fake.clearFaults();
    expect(failed.status).toBe('incomplete');
    expect(await world.store.loadLedger(world.org)).toEqual(before);
    // The connection stays open: an unread log resolves nothing.
    expect((await world.store.openFindings(world.org)).some((o) => o.finding.resource.id === CONNECTION_ID)).toBe(true);
  });
});
