import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { FakeOkta } from '../../fake-okta/types';
import { DEFAULT_CONFIG } from '../../lambda/config';
import { loadInventory } from '../../lambda/inventory-file';
import { collectInventory } from '../../lambda/okta/collect-inventory';
import { exitCodeFor, reportFromInventory } from '../../lambda/scan';
import { reportSchemaProblems } from '../cli/report-schema';
import { COLLECT, IDS, NOW, smallOrg, sswsClient, startOrg } from './fixtures';

// Two answers real Okta orgs give (test/data/okta-recordings/README.md, "Errors"): 401 E0000015
// for a feature the org does not have, with valid credentials, and 423 E0000239 "try again later".

const FEATURE_MISSING = {
  kind: 'status',
  status: 401,
  errorCode: 'E0000015',
  errorSummary: 'You do not have permission to access the feature you are requesting',
} as const;

let okta: FakeOkta;
beforeAll(async () => {
  okta = await startOrg(smallOrg());
});
afterAll(() => okta.close());
afterEach(() => {
  okta.clearFaults();
  okta.resetRequests();
});

describe('401 E0000015: a feature this org does not have', () => {
  it('leaves that source not available, not failed, and the scan complete with no false PASS', async () => {
    okta.fault({ route: '/api/v1/agentPools', fault: FEATURE_MISSING });
    const inventory = await collectInventory(sswsClient(okta), COLLECT);
    expect(inventory.sources.agentPools).toEqual({
      status: 'unavailable',
      reason: expect.stringMatching(/401 E0000015.*this org does not have the feature/),
    });
    expect(inventory.sources.apiTokens).toEqual({ status: 'complete' });

    const { report } = reportFromInventory(inventory, { config: DEFAULT_CONFIG, now: NOW });
    expect(reportSchemaProblems(report)).toEqual([]);
    expect(report.status).toBe('complete');
    expect(report.errors).toEqual([]);
    const agentFindings = report.findings.filter((f) => f.resource.type === 'ad_agent');
    expect(agentFindings.length).toBeGreaterThan(0);
    for (const finding of agentFindings) {
      expect(finding.status).toBe('UNKNOWN');
      expect(finding.message).toContain('not available in this org');
    }
    expect(exitCodeFor(report, 'critical')).not.toBe(3);

    // An inventory file keeps it: replayed, the report is the same.
    const file = join(mkdtempSync(join(tmpdir(), 'okta-answers-')), 'inventory.json');
    writeFileSync(file, JSON.stringify(inventory));
    const replayed = reportFromInventory(loadInventory(file), { config: DEFAULT_CONFIG, now: NOW }).report;
    expect(replayed.status).toBe('complete');
    expect(replayed.findings.map((f) => [f.id, f.status])).toEqual(report.findings.map((f) => [f.id, f.status]));
  });

  it('on the first request of a scan is not taken for bad credentials', async () => {
    okta.fault({ route: '/api/v1/api-tokens', fault: FEATURE_MISSING });
    const inventory = await collectInventory(sswsClient(okta), COLLECT);
    expect(inventory.sources.apiTokens.status).toBe('unavailable');
    expect(inventory.sources.agentPools).toEqual({ status: 'complete' });
  });

  it('for one app’s features is that app’s "not available", as 400/404 are', async () => {
    okta.fault({ route: `/api/v1/apps/${IDS.o2o}/features`, fault: FEATURE_MISSING });
    const inventory = await collectInventory(sswsClient(okta), COLLECT);
    expect(inventory.sources.provisioning).toEqual({ status: 'complete' });
    expect(inventory.provisioningApps.find((app) => app.id === IDS.o2o)).toMatchObject({ featuresAvailable: false });
  });
});

describe('423 E0000239: Okta asks to try again later', () => {
  it('is retried, and the read completes', async () => {
    okta.fault({ route: '/api/v1/api-tokens', fault: { kind: 'status', status: 423 }, times: 1 });
    const client = sswsClient(okta);
    const inventory = await collectInventory(client, COLLECT);
    expect(inventory.sources.apiTokens).toEqual({ status: 'complete' });
    expect(inventory.apiTokens.length).toBeGreaterThan(0);
    expect(okta.requests.filter((r) => r.path === '/api/v1/api-tokens').map((r) => r.status)).toEqual([423, 200]);
    expect(client.stats.retries).toBeGreaterThanOrEqual(1);
  });

  it('is retried a bounded number of times, then the source fails naming the answer', async () => {
    okta.fault({ route: '/api/v1/agentPools', fault: { kind: 'status', status: 423 } });
    const inventory = await collectInventory(sswsClient(okta, { maxRetries: 2 }), COLLECT);
    expect(okta.requests.filter((r) => r.path === '/api/v1/agentPools')).toHaveLength(3);
    expect(inventory.sources.agentPools).toMatchObject({
      status: 'failed',
      reason: expect.stringMatching(/423 E0000239.*try again later/),
    });
  });
});
