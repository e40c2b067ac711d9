import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { FakeApp, FakeOkta, FakeOrgFixture, Json } from '../../fake-okta/types';
import type { Report } from '../../lambda/domain/finding';
import { PROVISIONING_FEATURES } from '../../lambda/okta/collectors/apps';
import { runCli } from '../cli/run-cli';
import { AS_OF, apiToken, appUser, GOOD_TOKEN, logEvent, NOW, smallOrg, startOrg, user } from '../okta/fixtures';
import { AGENT_RULES, CONNECTION_RULES, PUSH_RULES, TOKEN_RULES, WORKFLOWS_RULES } from '../support/rule-groups';
import { expectNoSecret, expectNothingFalselyClean } from './support/invariants';

// Whole scans of random, schema-shaped orgs: fixtures in Okta's API shapes (unknown statuses,
// missing fields, odd dates, deleted owners) served by the fake Okta server and read through the
// real client by `okta-scan`. Each run: no crash, a verdict per resource from each rule that
// covers it, UNKNOWN rather than PASS where data is missing, and no token in the output.

vi.mock('../../lambda/okta/client', async (original) =>
  (await import('./support/fast-okta-client.js')).fastClientModule(await original()),
);

const RUNS = 40;
const SEED = 8_2026;
const DAY = 86_400_000;
const DELETED_USER = '00ufzdeleted0000000';

const daysAgo = (d: number): string => new Date(NOW.getTime() - d * DAY).toISOString();
/** true about one time in ten. */
const rarely = fc.integer({ min: 0, max: 9 }).map((n) => n === 0);
const oneOf = <T>(...values: T[]): fc.Arbitrary<T> => fc.constantFrom(...values);

interface Generated {
  org: FakeOrgFixture;
  /** Live Workflows connection ids the logs describe. */
  liveConnections: string[];
}

const userArb = (i: number): fc.Arbitrary<Json> =>
  fc
    .record({
      login: oneOf(`svc-bot${i}@acme.com`, `person${i}@acme.com`),
      status: oneOf('ACTIVE', 'ACTIVE', 'DEPROVISIONED', 'SUSPENDED', 'STAGED', 'PENDING_REVIEW'),
      userType: oneOf(undefined, 'Service', 'Employee', 'Robot'),
      dropStatus: rarely,
    })
    .map(({ login, status, userType, dropStatus }) => {
      const u = user(`00ufz${String(i).padStart(14, '0')}`, login, status, userType ? { userType } : {});
      if (dropStatus) delete u.status;
      return u;
    });

function orgArb(): fc.Arbitrary<Generated> {
  return fc.integer({ min: 1, max: 5 }).chain((userCount) => {
    const userIds = Array.from({ length: userCount }, (_, i) => `00ufz${String(i).padStart(14, '0')}`);
    const ownerId = oneOf(...userIds, DELETED_USER);
    const tokenArb = (i: number) =>
      fc
        .record({
          owner: ownerId,
          clientName: oneOf('Okta API', 'Okta AD Agent'),
          expiresAt: oneOf<unknown>(
            daysAgo(-3),
            daysAgo(-40),
            daysAgo(2),
            null,
            'not a date',
            '2026-12-24T00:00:00+05:30',
          ),
          network: oneOf<unknown>(
            { connection: 'ANYWHERE' },
            { connection: 'ZONE', include: ['nzo1'] },
            { connection: 'NEW_KIND' },
            null,
          ),
          dropUserId: rarely,
        })
        .map(({ owner, clientName, expiresAt, network, dropUserId }) => {
          const t = apiToken(`00Tfz${String(i).padStart(15, '0')}`, `token ${i}`, owner, {
            clientName,
            expiresAt,
            network,
          });
          if (dropUserId) delete t.userId;
          return t;
        });
    const agentArb = (pool: number, i: number) =>
      fc
        .record({
          version: oneOf<unknown>('3.9.1', '3.17.2', '3.18.0', '3.21.0', 'beta', undefined),
          status: oneOf<unknown>('OPERATIONAL', 'OPERATIONAL', 'DISRUPTED', 'INACTIVE', 'DEGRADED_MODE', null),
          lastConnection: oneOf<unknown>(NOW.getTime() - DAY, '2026-11-20T00:00:00Z', undefined),
        })
        .map(({ version, status, lastConnection }) => ({
          id: `a53fz${pool}agent${String(i).padStart(9, '0')}`,
          name: `DC-${pool}-${i}`,
          poolId: `0oafzpool${pool}`,
          type: 'AD',
          operationalStatus: status,
          lastConnection,
          isHidden: false,
          version,
        }));
    const poolArb = (p: number) =>
      fc.integer({ min: 0, max: 3 }).chain((n) =>
        fc.tuple(...Array.from({ length: n }, (_, i) => agentArb(p, i))).map((agents) => ({
          id: `0oafzpool${p}`,
          name: `corp${p}.example.com`,
          type: 'AD',
          operationalStatus: 'OPERATIONAL',
          agents,
        })),
      );
    const appArb = (a: number) =>
      fc
        .record({
          name: oneOf('okta_org2org', 'acmescim_1', 'wiki_1'),
          status: oneOf('ACTIVE', 'ACTIVE', 'INACTIVE'),
          features: fc.subarray(['PUSH_NEW_USERS', 'PUSH_USER_DEACTIVATION', 'SCIM_PROVISIONING', 'SOMETHING_NEW']),
          connection: oneOf<Json | undefined>(
            undefined,
            { authScheme: 'TOKEN', status: 'ENABLED', profile: { authScheme: 'TOKEN' } },
            { authScheme: 'OAUTH2', status: 'DISABLED', profile: { authScheme: 'OAUTH2' } },
            { status: 'PAUSED', profile: {} },
          ),
          deactivate: oneOf<string | undefined>(undefined, 'ENABLED', 'DISABLED'),
          inError: fc.subarray(userIds),
        })
        .map(({ name, status, features, connection, deactivate, inError }) => ({
          app: {
            id: `0oafzapp${String(a).padStart(12, '0')}`,
            name,
            label: `App ${a}`,
            status,
            signOnMode: 'SAML_2_0',
            features,
          },
          connection,
          features:
            deactivate === undefined
              ? undefined
              : [
                  {
                    name: 'USER_PROVISIONING',
                    status: 'ENABLED',
                    capabilities: { update: { lifecycleDeactivate: { status: deactivate } } },
                  },
                ],
          users: inError.map((id) => appUser(id, 'ERROR', `${id}@app.example.com`)),
        }));
    return fc
      .record({
        users: fc.tuple(...userIds.map((_, i) => userArb(i))),
        serviceGroup: fc.subarray(userIds),
        superAdmins: fc.subarray(userIds),
        tokens: fc
          .integer({ min: 0, max: 4 })
          .chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => tokenArb(i)))),
        pools: fc
          .integer({ min: 0, max: 2 })
          .chain((n) => fc.tuple(...Array.from({ length: n }, (_, p) => poolArb(p)))),
        apps: fc.integer({ min: 0, max: 3 }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, a) => appArb(a)))),
        connections: fc.array(
          fc.record({ by: oneOf(...userIds), deleted: fc.boolean(), age: fc.integer({ min: 1, max: 80 }) }),
          {
            maxLength: 3,
          },
        ),
        appEvents: fc.array(
          fc.record({
            kind: oneOf('authFailure', 'pushFailure', 'update'),
            app: fc.nat(2),
            by: oneOf(...userIds),
            age: fc.integer({ min: 1, max: 80 }),
          }),
          { maxLength: 4 },
        ),
        registrations: fc.array(fc.record({ pool: fc.nat(1), agent: fc.nat(2), by: oneOf(...userIds) }), {
          maxLength: 3,
        }),
      })
      .map((g): Generated => {
        const person = (id: string): Json => ({ id, type: 'User', alternateId: `${id}@acme.com`, displayName: id });
        const appTarget = (i: number): Json => ({
          id: `0oafzapp${String(i).padStart(12, '0')}`,
          type: 'AppInstance',
          displayName: `App ${i}`,
        });
        const logs: Json[] = [];
        const live: string[] = [];
        g.connections.forEach((c, i) => {
          const target = [
            person(c.by),
            { id: '0oaworkflowsokta0001', type: 'AppInstance', displayName: 'Okta' },
            { id: `wfcfz${i}`, type: 'WorkflowsConnection', displayName: `Conn ${i}` },
          ];
          logs.push(
            logEvent(
              `wf-${i}`,
              'workflows.user.connection.create',
              daysAgo(c.age),
              person(c.by) as never,
              target as never,
            ),
          );
          if (c.deleted)
            logs.push(
              logEvent(
                `wfd-${i}`,
                'workflows.user.connection.delete',
                daysAgo(c.age - 0.5),
                person(c.by) as never,
                target as never,
              ),
            );
          else live.push(`wfcfz${i}`);
        });
        g.appEvents.forEach((e, i) => {
          const app = appTarget(e.app);
          if (e.kind === 'authFailure')
            logs.push(
              logEvent(
                `af-${i}`,
                'application.integration.authentication_failure',
                daysAgo(e.age),
                app as never,
                [app] as never,
                'FAILURE',
              ),
            );
          if (e.kind === 'pushFailure')
            logs.push(
              logEvent(
                `pf-${i}`,
                'application.provision.user.deactivate',
                daysAgo(e.age),
                app as never,
                [person(e.by), app] as never,
                'FAILURE',
              ),
            );
          if (e.kind === 'update')
            logs.push(
              logEvent(
                `up-${i}`,
                'application.lifecycle.update',
                daysAgo(e.age),
                person(e.by) as never,
                [app] as never,
              ),
            );
        });
        g.registrations.forEach((r, i) => {
          const agentId = `a53fz${r.pool}agent${String(r.agent).padStart(9, '0')}`;
          logs.push(
            logEvent(
              `ag-${i}`,
              'system.agent.register',
              daysAgo(30),
              person(r.by) as never,
              [{ id: agentId, type: 'AgentInstance' }] as never,
            ),
          );
        });
        return {
          org: {
            asOf: AS_OF,
            users: g.users,
            groups: [
              { id: '00gfzservice0000001', profile: { name: 'Service Accounts' }, members: g.serviceGroup },
              { id: '00gfzadmins00000002', profile: { name: 'Okta Admins' }, members: g.superAdmins },
            ],
            roleAssignments: [
              { id: 'ra-fz-1', type: 'SUPER_ADMIN', label: 'Super Administrator', groupId: '00gfzadmins00000002' },
              { id: 'ra-fz-2', type: 'FUTURE_ADMIN', label: 'Future', groupId: '00gfzservice0000001' },
            ],
            apiTokens: g.tokens,
            agentPools: g.pools,
            apps: g.apps,
            logs,
          },
          liveConnections: live,
        };
      });
  });
}

let fake: FakeOkta;
beforeAll(async () => {
  fake = await startOrg(smallOrg());
});
afterAll(() => fake.close());

function expectJudged(report: Report, ruleIds: string[], resourceIds: string[]): void {
  for (const ruleId of ruleIds) {
    for (const id of resourceIds) {
      const judged = report.findings.some(
        (f) => f.ruleId === ruleId && (f.resource.id === id || f.resource.id.startsWith(`${id}/`)),
      );
      expect(judged, `${ruleId} gives ${id} a verdict`).toBe(true);
    }
  }
}

describe('whole scans of random orgs', () => {
  it('never crash, judge every resource, say UNKNOWN where data is missing, and never print the token', async () => {
    await fc.assert(
      fc.asyncProperty(orgArb(), async ({ org, liveConnections }) => {
        fake.org = org;
        const run = await runCli(['--org-url', fake.url, '--token', GOOD_TOKEN, '--now', AS_OF, '--format', 'json']);

        expect(run.stderr).not.toContain('did not finish');
        const report = JSON.parse(run.stdout) as Report;
        expect(run.code).toBe(report.status === 'incomplete' ? 3 : report.summary.byStatus.FAIL > 0 ? 1 : 0);
        expect(report.errors).toEqual([]);
        expectNothingFalselyClean(report);
        expectJudged(
          report,
          TOKEN_RULES,
          org.apiTokens.map((t) => String(t.id)),
        );
        expectJudged(
          report,
          AGENT_RULES,
          org.agentPools.flatMap((p) => (p.agents as Json[]).map((a) => String(a.id))),
        );
        expectJudged(report, WORKFLOWS_RULES, liveConnections);
        // Issue 18: the push rules judge the apps Okta pushes users to (by the list's features, or
        // the "Deactivate Users" toggle); the connection rules also those whose connection is enabled.
        const listed = org.apps.filter(
          (a) =>
            a.app.status === 'ACTIVE' &&
            (a.app.name === 'okta_org2org' ||
              (a.app.features as string[]).some((f) => PROVISIONING_FEATURES.includes(f))),
        );
        const pushes = (a: FakeApp): boolean =>
          (a.app.features as string[]).some((f) => PROVISIONING_FEATURES.includes(f)) ||
          (a.features ?? []).some(
            (f) =>
              f.status === 'ENABLED' &&
              ((f.capabilities as Json).update as Json).lifecycleDeactivate !== undefined &&
              (((f.capabilities as Json).update as Json).lifecycleDeactivate as Json).status === 'ENABLED',
          );
        const ids = (apps: FakeApp[]): string[] => apps.map((a) => String(a.app.id));
        expectJudged(report, PUSH_RULES, ids(listed.filter(pushes)));
        expectJudged(
          report,
          CONNECTION_RULES,
          ids(listed.filter((a) => pushes(a) || a.connection?.status === 'ENABLED')),
        );

        const verdict = (ruleId: string, id: string) =>
          report.findings.find((f) => f.ruleId === ruleId && f.resource.id === id)?.status;
        for (const t of org.apiTokens) {
          const id = String(t.id);
          if (t.userId === DELETED_USER) expect(verdict('api-token-owner-not-active', id)).toBe('FAIL');
          const owner = org.users.find((u) => u.id === t.userId);
          if (t.userId === undefined || (owner && owner.status === undefined)) {
            expect(verdict('api-token-owner-not-active', id), `${id}: owner status unknown`).toBe('UNKNOWN');
          }
          if (t.expiresAt === null || t.expiresAt === 'not a date')
            expect(verdict('api-token-expiring', id)).toBe('UNKNOWN');
        }
        for (const a of org.agentPools.flatMap((p) => p.agents as Json[])) {
          if (a.version === undefined || a.version === 'beta')
            expect(verdict('ad-agent-token-based', String(a.id))).toBe('UNKNOWN');
          if (a.operationalStatus === null) expect(verdict('ad-agent-not-operational', String(a.id))).toBe('UNKNOWN');
        }
        expectNoSecret(run.stdout + run.stderr, [GOOD_TOKEN]);
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
  });
});
