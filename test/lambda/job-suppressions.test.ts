import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadOrg, startFakeOkta } from '../../fake-okta/server';
import type { FakeOkta } from '../../fake-okta/types';
import { parseConfig } from '../../lambda/config';
import { runJob } from '../../lambda/job';
import type { JobDeps } from '../../lambda/job-deps';
import { scan, validateRuleIds } from '../../lambda/scan';
import type { Digest } from '../../lambda/sinks/digest';
import { DynamoFindingStore } from '../../lambda/sinks/dynamo-store';
import { type RunningDynalite, startDynalite } from '../support/dynalite';

// The nightly email warns of suppressions about to lapse. A date-only expiry lasts through that
// day, so on its last day a suppression still hides its finding and must still be announced.

const TOKEN = 'ssws-job-suppressions-test-token';
const NIGHTLY = new Date('2026-11-28T02:00:00Z');

const suppression = (resourceId: string, expires: string) => ({
  ruleId: 'api-token-owner-is-human',
  resourceId,
  reason: `kept until ${expires}`,
  expires,
});

let fake: FakeOkta;
let db: RunningDynalite;

beforeAll(async () => {
  [fake, db] = await Promise.all([
    startFakeOkta({ org: loadOrg('demo'), credentials: { apiTokens: [{ token: TOKEN }] } }),
    startDynalite(),
  ]);
});

afterAll(async () => {
  await Promise.all([fake?.close(), db?.close()]);
});

async function nightlyDigest(suppressions: ReturnType<typeof suppression>[]): Promise<Digest> {
  const published: Digest[] = [];
  const config = parseConfig({ notify: 'always', suppressions });
  const quiet = { info() {}, warn() {}, error() {} };
  const deps: JobDeps = {
    config,
    store: new DynamoFindingStore({ client: db.client, tableName: db.tableName, retentionDays: 400 }),
    notifier: {
      async publish(digest) {
        published.push(digest as Digest);
        return { messageId: `m-${published.length}` };
      },
    },
    loadConnection: async () => ({ orgUrl: fake.url, auth: { kind: 'token', token: TOKEN } }),
    secretName: 'okta-scanner/test',
    scan: (options) => scan({ ...options, now: NIGHTLY, clock: () => NIGHTLY }),
    checkRuleIds: validateRuleIds,
    log: quiet,
    metrics: { count() {}, duration() {} },
    now: () => NIGHTLY,
    newScanId: () => `scan-${published.length}-${Math.random().toString(36).slice(2)}`,
    recordPointer: 'the test table',
  };
  const result = await runJob({ source: 'aws.events', 'detail-type': 'Scheduled Event' }, deps);
  expect(result).toMatchObject({ mode: 'scan', notified: true });
  expect(published).toHaveLength(1);
  return published[0];
}

describe('the nightly digest and suppressions about to expire', () => {
  it('lists a suppression on its last day, when it still hides its finding', async () => {
    const digest = await nightlyDigest([
      suppression('00T-last-day', '2026-11-28'),
      suppression('00T-next-week', '2026-12-05'),
      suppression('00T-lapsed', '2026-11-27'),
      suppression('00T-next-year', '2027-03-01'),
    ]);
    expect(digest.json.expiringSuppressions.map((s) => s.resourceId)).toEqual(['00T-last-day', '00T-next-week']);
    expect(digest.email).toContain('00T-last-day: expires 2026-11-28');
  });
});
