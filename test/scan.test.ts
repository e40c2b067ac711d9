import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadOrg, startFakeOkta } from '../fake-okta/server';
import type { FakeOkta } from '../fake-okta/types';
import { DEFAULT_CONFIG } from '../lambda/config';
import { ConfigError, CredentialsError } from '../lambda/errors';
import { exitCodeFor, reportFromInventory, scan } from '../lambda/scan';
import { finding, reportSchemaProblems, sampleReport } from './cli/report-schema';
import { serviceAppKey } from './support/service-app-keys';

const TOKEN = 'scan-test-token-abcdef0123456789';

let okta: FakeOkta;
let now: Date;

beforeAll(async () => {
  const org = loadOrg('demo');
  now = new Date(org.asOf);
  okta = await startFakeOkta({ org, credentials: { apiTokens: [{ token: TOKEN }] } });
});

afterAll(() => okta.close());

afterEach(() => {
  okta.clearFaults();
  okta.resetRequests();
});

function connection(): { orgUrl: string; auth: { kind: 'token'; token: string } } {
  return { orgUrl: okta.url, auth: { kind: 'token', token: TOKEN } };
}

describe('scan()', () => {
  it('refuses an unknown rule id before sending any request', async () => {
    await expect(scan({ connection: connection(), config: DEFAULT_CONFIG, now, ruleIds: ['nope'] })).rejects.toThrow(
      ConfigError,
    );
    expect(okta.requests).toHaveLength(0);
  });

  it('builds the public report: schema 1, the org host, the times from its clock, the given scan id', async () => {
    let tick = Date.parse('2026-11-28T02:00:00.000Z');
    const clock = (): Date => {
      tick += 1000;
      return new Date(tick);
    };
    const result = await scan({ connection: connection(), config: DEFAULT_CONFIG, now, scanId: 'scan-42', clock });
    expect(reportSchemaProblems(result.report)).toEqual([]);
    expect(result.report.scanId).toBe('scan-42');
    expect(result.report.org).toBe(new URL(okta.url).host);
    expect(result.report.startedAt < result.report.finishedAt).toBe(true);
    expect(result.outcome.report).toBe(result.report);
    expect(result.outcome.rulesRun.length).toBeGreaterThan(0);
    expect(result.stats.requests).toBe(okta.requests.length);
  });

  it('reads only the sources the selected rules need', async () => {
    const result = await scan({
      connection: connection(),
      config: DEFAULT_CONFIG,
      now,
      ruleIds: ['api-token-unrestricted-network'],
    });
    expect(result.inventory.sources.agentPools.status).toBe('skipped');
    expect(okta.requests.some((r) => r.path.startsWith('/api/v1/agentPools'))).toBe(false);
    expect(okta.requests.some((r) => r.path.startsWith('/api/v1/apps'))).toBe(false);
    expect(new Set(result.report.findings.map((f) => f.ruleId))).toEqual(new Set(['api-token-unrestricted-network']));
    expect(okta.requests.filter((r) => r.path === '/api/v1/zones')).toHaveLength(1);
  });

  it('reads no network zones when no selected rule needs them', async () => {
    const result = await scan({
      connection: connection(),
      config: DEFAULT_CONFIG,
      now,
      ruleIds: ['api-token-owner-is-human'],
    });
    expect(result.inventory.sources.zones.status).toBe('skipped');
    expect(okta.requests.some((r) => r.path.startsWith('/api/v1/zones'))).toBe(false);
  });

  it('shows the demo tokens restricted in name only: exclude-only, on a deleted zone, on 0.0.0.0/0', async () => {
    const result = await scan({
      connection: connection(),
      config: DEFAULT_CONFIG,
      now,
      ruleIds: ['api-token-unrestricted-network'],
    });
    const verdict = (name: string): string | undefined =>
      result.report.findings.find((f) => f.resource.name === name)?.status;
    expect(verdict('Terraform (Bob laptop)')).toBe('FAIL');
    expect(verdict('Legacy provisioning')).toBe('FAIL');
    expect(verdict('Reporting script')).toBe('FAIL');
    expect(verdict('Okta Terraform CI')).toBe('PASS');
    expect(verdict('SCIM bridge')).toBe('PASS');
    const wide = result.report.findings.find((f) => f.resource.name === 'Reporting script');
    expect(wide?.message).toContain('"Partner access (temporary)"');
    expect(wide?.message).toContain('0.0.0.0/0');
  });

  it('marks the report incomplete, with the source and its scope, when a source cannot be read', async () => {
    okta.fault({ route: '/api/v1/agentPools', fault: { kind: 'status', status: 403 } });
    const result = await scan({ connection: connection(), config: DEFAULT_CONFIG, now });
    expect(result.report.status).toBe('incomplete');
    expect(result.report.errors.map((e) => [e.source, e.requiredScope])).toContainEqual([
      'agentPools',
      'okta.agentPools.read',
    ]);
    expect(result.outcome.completeRules).not.toContain('ad-agent-token-based');
  });
});

describe('reportFromInventory()', () => {
  it('does not call a replay incomplete for a failed source the selected rules never read', async () => {
    okta.fault({ route: '/api/v1/agentPools', fault: { kind: 'status', status: 403 } });
    const { inventory } = await scan({ connection: connection(), config: DEFAULT_CONFIG, now });
    const replay = reportFromInventory(inventory, {
      config: DEFAULT_CONFIG,
      now,
      ruleIds: ['api-token-owner-is-human'],
    });
    expect(replay.report.status).toBe('complete');
    const full = reportFromInventory(inventory, { config: DEFAULT_CONFIG, now });
    expect(full.report.status).toBe('incomplete');
  });

  it('gives the same findings as the scan it replays', async () => {
    const live = await scan({ connection: connection(), config: DEFAULT_CONFIG, now });
    const replay = reportFromInventory(JSON.parse(JSON.stringify(live.inventory)), { config: DEFAULT_CONFIG, now });
    expect(replay.report.findings).toEqual(live.report.findings);
    expect(replay.report.scanId).not.toBe(live.report.scanId);
  });
});

describe('exitCodeFor()', () => {
  const high = finding({ severity: 'high' });
  it('is 1 when a FAIL is at or above the threshold', () => {
    expect(exitCodeFor(sampleReport([high]), 'high')).toBe(1);
    expect(exitCodeFor(sampleReport([high]), 'low')).toBe(1);
  });

  it('is 0 when every FAIL is below the threshold, or nothing fails', () => {
    expect(exitCodeFor(sampleReport([high]), 'critical')).toBe(0);
    expect(exitCodeFor(sampleReport([finding({ status: 'UNKNOWN' }), finding({ status: 'SUPPRESSED' })]), 'info')).toBe(
      0,
    );
  });

  it('is 3 when the scan is incomplete, even with FAILs', () => {
    const errors = [{ source: 'apps', message: '403', requiredScope: 'okta.apps.read' }];
    expect(exitCodeFor(sampleReport([high], { status: 'incomplete', errors }), 'low')).toBe(3);
  });
});

describe('scan() with a service app granted only some scopes', () => {
  const key = serviceAppKey('trusted');
  const granted = ['okta.apiTokens.read', 'okta.users.read', 'okta.roles.read'];

  async function scanWithApp(
    ruleIds: string[] | undefined,
    scopes: string[] = granted,
  ): Promise<Awaited<ReturnType<typeof scan>>> {
    const org = loadOrg('demo');
    const app = await startFakeOkta({
      org,
      credentials: { serviceApps: [{ clientId: '0oascanner', publicJwk: key.publicJwk, scopes }] },
    });
    try {
      return await scan({
        connection: {
          orgUrl: app.url,
          auth: { kind: 'privateKey', clientId: '0oascanner', privateKey: key.privateKeyPem, keyId: key.kid },
        },
        config: DEFAULT_CONFIG,
        now: new Date(org.asOf),
        ruleIds,
      });
    } finally {
      await app.close();
    }
  }

  it('runs the token rules, since it asks Okta only for the scopes those rules need', async () => {
    const result = await scanWithApp(['api-token-owner-is-human', 'api-token-owner-super-admin']);
    expect(result.report.status).toBe('complete');
    expect(result.report.findings.some((f) => f.status === 'FAIL')).toBe(true);
  });

  it('runs a full scan on the scopes it is granted, incomplete for the sources of the others', async () => {
    const result = await scanWithApp(undefined);
    expect(result.report.status).toBe('incomplete');
    const missing = new Set(result.report.errors.map((e) => e.requiredScope));
    expect(missing).toEqual(
      new Set(['okta.logs.read', 'okta.agentPools.read', 'okta.apps.read', 'okta.networkZones.read']),
    );
    expect(result.report.findings.some((f) => f.ruleId.startsWith('api-token-') && f.status === 'FAIL')).toBe(true);
    expect(result.report.findings.some((f) => f.ruleId.startsWith('ad-agent-') && f.status === 'PASS')).toBe(false);
  });

  it('stops a full scan naming every scope to grant when it is granted none of them', async () => {
    const error = await scanWithApp(undefined, ['okta.groups.read']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CredentialsError);
    expect((error as Error).message).toMatch(/grant the service app these scopes/);
    expect((error as Error).message).toContain('okta.logs.read');
    expect((error as Error).message).toContain('okta.agentPools.read');
  });
});
