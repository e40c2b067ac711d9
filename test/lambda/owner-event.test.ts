import { writeFileSync } from 'node:fs';
import { PublishCommand } from '@aws-sdk/client-sns';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadOrg } from '../../fake-okta/server';
import { DEPENDENCY_KINDS } from '../../lambda/domain/dependencies';
import type { OpenFinding } from '../../lambda/domain/history';
import { ConfigError } from '../../lambda/errors';
import { handler } from '../../lambda/handler';
import type { OwnerStoppedResult } from '../../lambda/modes/owner-stopped';
import type { OwnerAlertJson } from '../../lambda/sinks/owner-alert';
import { captureOutput, type LambdaWorld, type OutputCapture, sns, startWorld, tableItems, unwrapped } from './harness';

// The minute an owner stops (README "When an owner is deactivated"): the unmodified handler takes
// the System Log event as EventBridge delivers it from Okta's partner event source, and answers
// from the recorded scan alone, against dynalite, the demo org on the fake Okta and mocked SNS.

const EVENT_SOURCE = 'aws.partner/okta.com/acme/okta-scan';

let output: OutputCapture;
let world: LambdaWorld;

beforeAll(async () => {
  output = captureOutput();
  world = await startWorld();
  // The record the alert reads: one nightly scan of the demo org.
  await handler({ source: 'aws.events', 'detail-type': 'Scheduled Event', detail: {} });
  sns.resetHistory();
});
afterAll(async () => {
  output.restore();
  await world.close();
});
afterEach(() => {
  delete process.env.OKTA_EVENT_SOURCE;
  sns.resetHistory();
});

/** The envelope EventBridge delivers: `source` the partner event source, `detail` the Okta LogEvent. */
function partnerEvent(
  user: { id: string; login: string; name: string },
  overrides: { eventType?: string; source?: string; detail?: Record<string, unknown> } = {},
): Record<string, unknown> {
  return {
    version: '0',
    id: '7c1f0e4e-2b7a-4c0c-9d7e-0f6f4bd0a1c3',
    'detail-type': 'SystemLog',
    source: overrides.source ?? EVENT_SOURCE,
    account: '123456789012',
    time: '2026-11-29T14:02:12Z',
    region: 'us-east-1',
    resources: [],
    detail: {
      uuid: 'e1b6c2a4-ad52-11f0-9a4e-3b2f5d6c7a81',
      published: '2026-11-29T14:02:11.402Z',
      eventType: overrides.eventType ?? 'user.lifecycle.deactivate',
      legacyEventType: 'core.user.config.user_deactivated',
      version: '0',
      severity: 'INFO',
      displayMessage: 'Deactivate Okta user',
      actor: {
        id: '00uAdminq1w2e3r4t5y6',
        type: 'User',
        alternateId: 'it.admin@acme.com',
        displayName: 'IT Admin',
        detailEntry: null,
      },
      client: { ipAddress: '10.0.0.1', device: 'Computer', zone: null, id: null },
      outcome: { result: 'SUCCESS', reason: null },
      target: [{ id: user.id, type: 'User', alternateId: user.login, displayName: user.name, detailEntry: null }],
      transaction: { type: 'WEB', id: 'aZ9x8c7v6b5n4m3l2k1j', detail: {} },
      debugContext: { debugData: { requestId: 'aZ9x8c7v6b5n4m3l2k1j', requestUri: '/api/v1/users/lifecycle' } },
      ...overrides.detail,
    },
  };
}

const INTEGRATION_TYPES: readonly string[] = DEPENDENCY_KINDS;

/** Open findings on integrations (tokens, agents, Workflows, provisioning), not on app users. */
function onIntegrations(open: OpenFinding[]): OpenFinding[] {
  return open.filter((o) => INTEGRATION_TYPES.includes(o.finding.resource.type));
}

/** The human owner most integrations run on in the record, and the distinct integrations they hold. */
function busiestOwner(open: OpenFinding[]): { id: string; login: string; resources: Set<string> } {
  const byOwner = new Map<string, { id: string; login: string; resources: Set<string> }>();
  for (const { finding } of onIntegrations(open)) {
    if (!finding.owner?.login || finding.owner.kind !== 'human') continue;
    const entry = byOwner.get(finding.owner.id) ?? {
      id: finding.owner.id,
      login: finding.owner.login,
      resources: new Set<string>(),
    };
    entry.resources.add(finding.resource.id);
    byOwner.set(finding.owner.id, entry);
  }
  return [...byOwner.values()].sort((a, b) => b.resources.size - a.resources.size)[0];
}

function published(): { subject: string; email: string; json: OwnerAlertJson; attributes: Record<string, string> }[] {
  return sns.commandCalls(PublishCommand).map((call) => {
    const input = call.args[0].input;
    const message = JSON.parse(input.Message ?? '{}') as { email: string; default: string };
    const attributes = Object.entries(input.MessageAttributes ?? {}).map(([k, v]) => [k, v.StringValue ?? '']);
    return {
      subject: input.Subject ?? '',
      email: message.email,
      json: JSON.parse(message.default),
      attributes: Object.fromEntries(attributes),
    };
  });
}

describe('an owner deactivated in Okta', () => {
  it('publishes one message at once naming every integration that stops, each with its fix, without asking Okta', async () => {
    process.env.OKTA_EVENT_SOURCE = EVENT_SOURCE;
    const open = await world.store.openFindings(world.org);
    const owner = busiestOwner(open);
    expect(owner.resources.size, 'an owner of several integrations').toBeGreaterThan(1);
    const requestsBefore = world.fake.requests.length;
    const itemsBefore = await tableItems(world);

    const result = (await handler(
      partnerEvent({ id: owner.id, login: owner.login, name: 'The Owner' }),
    )) as OwnerStoppedResult;

    expect(result).toMatchObject({ mode: 'ownerStopped', org: world.org, notified: true });
    expect(result.integrations).toBe(owner.resources.size);
    expect(world.fake.requests.length, 'no Okta request').toBe(requestsBefore);
    expect(await tableItems(world)).toEqual(itemsBefore);

    const messages = published();
    expect(messages).toHaveLength(1);
    const [alert] = messages;
    if (process.env.OWNER_ALERT_OUT) writeFileSync(process.env.OWNER_ALERT_OUT, `${alert.subject}\n\n${alert.email}`);
    const n = owner.resources.size;
    expect(unwrapped(alert.email)).toContain(
      `${owner.login} was deactivated at 14:02 UTC on 2026-11-29; these ${n} integrations stop now.`,
    );
    expect(alert.subject).toContain(`${owner.login} was deactivated; ${n} integrations stop now`);
    expect(alert.subject.length).toBeLessThan(100);
    expect(alert.json.integrations.map((i) => i.id).sort()).toEqual([...owner.resources].sort());
    // The app users the owner left active are in the record too, but nothing runs on them.
    expect(alert.json.integrations.every((i) => INTEGRATION_TYPES.includes(i.type))).toBe(true);
    for (const { finding } of onIntegrations(open).filter((o) => o.finding.owner?.id === owner.id)) {
      expect(unwrapped(alert.email)).toContain(`"${finding.resource.name}" (${finding.resource.id})`);
      expect(unwrapped(alert.email)).toContain(`Fix: ${unwrapped(finding.remediation)}`);
    }
    expect(alert.attributes).toMatchObject({ org: world.org, status: 'owner-stopped' });
  });

  it('warns of a lock-out, whose LogEvent names the user as the actor, saying API tokens keep working', async () => {
    process.env.OKTA_EVENT_SOURCE = EVENT_SOURCE;
    const owner = busiestOwner(await world.store.openFindings(world.org));
    const lockout = partnerEvent(
      { id: owner.id, login: owner.login, name: 'The Owner' },
      {
        eventType: 'user.account.lock',
        detail: {
          legacyEventType: 'core.user_auth.account_locked',
          displayMessage: 'Max sign in attempts exceeded',
          actor: { id: owner.id, type: 'User', alternateId: owner.login, displayName: 'The Owner' },
          outcome: { result: 'FAILURE', reason: 'LOCKED_OUT' },
          target: null,
        },
      },
    );

    const result = (await handler(lockout)) as OwnerStoppedResult;

    expect(result).toMatchObject({ notified: true, integrations: owner.resources.size });
    const [alert] = published();
    const n = owner.resources.size;
    expect(unwrapped(alert.email)).toContain(
      `${owner.login} was locked out at 14:02 UTC on 2026-11-29; these ${n} integrations run on the account.`,
    );
    expect(unwrapped(alert.email)).toContain('API tokens (and AD agents before 3.18.0, which run on one) keep working');
    expect(alert.subject).toContain(`${owner.login} was locked out; ${n} integrations run on it`);
  });
});

describe('a person who owns nothing', () => {
  it('is deactivated without anything published or written', async () => {
    process.env.OKTA_EVENT_SOURCE = EVENT_SOURCE;
    const owners = new Set((await world.store.openFindings(world.org)).map((o) => o.finding.owner?.id));
    const users = loadOrg('demo').users as { id: string; profile: { login: string } }[];
    const nobody = users.find((u) => !owners.has(u.id));
    expect(nobody, 'a demo user who owns no integration').toBeDefined();
    const itemsBefore = await tableItems(world);

    const result = (await handler(
      partnerEvent({ id: nobody!.id, login: nobody!.profile.login, name: 'Nobody' }),
    )) as OwnerStoppedResult;

    expect(result).toMatchObject({ mode: 'ownerStopped', integrations: 0, notified: false });
    expect(sns.commandCalls(PublishCommand)).toHaveLength(0);
    expect(await tableItems(world)).toEqual(itemsBefore);
  });

  it('is an owner whose deactivation failed: the account still works, so nothing is said', async () => {
    process.env.OKTA_EVENT_SOURCE = EVENT_SOURCE;
    const owner = busiestOwner(await world.store.openFindings(world.org));

    const result = (await handler(
      partnerEvent(
        { id: owner.id, login: owner.login, name: 'The Owner' },
        { detail: { outcome: { result: 'FAILURE', reason: 'Insufficient permissions' } } },
      ),
    )) as OwnerStoppedResult;

    expect(result).toMatchObject({ notified: false });
    expect(sns.commandCalls(PublishCommand)).toHaveLength(0);
  });
});

describe('an Okta event that does not fit', () => {
  async function refusal(event: unknown): Promise<ConfigError> {
    const itemsBefore = await tableItems(world);
    const error = await handler(event).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect(sns.commandCalls(PublishCommand)).toHaveLength(0);
    expect(await tableItems(world)).toEqual(itemsBefore);
    return error as ConfigError;
  }
  const someone = { id: '00uBobwwKz3i5jtwZm2p', login: 'bob.martinez@acme.com', name: 'Bob' };

  it('is refused naming each field, and nothing is published or written', async () => {
    process.env.OKTA_EVENT_SOURCE = EVENT_SOURCE;
    const error = await refusal(
      partnerEvent(someone, { eventType: 'user.session.start', detail: { published: 'yesterday', target: [] } }),
    );
    expect(error.message).toMatch(/^Invalid Okta event/);
    expect(error.problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^detail\.published: must be an ISO-8601 time/),
        expect.stringMatching(/^detail\.eventType: must be one of user\.lifecycle\.deactivate, /),
      ]),
    );
  });

  it('is refused when it names no user, or comes from another partner source', async () => {
    process.env.OKTA_EVENT_SOURCE = EVENT_SOURCE;
    const noUser = await refusal(partnerEvent(someone, { detail: { target: [] } }));
    expect(noUser.problems).toEqual(['detail.target: no User target (the account the event stopped)']);
    const other = await refusal(partnerEvent(someone, { source: 'aws.partner/okta.com/other/stream' }));
    expect(other.problems).toEqual([
      `source: "aws.partner/okta.com/other/stream" is not the configured Okta event source "${EVENT_SOURCE}"`,
    ]);
  });

  it('is refused by a function deployed without oktaEventSource', async () => {
    const error = await refusal(partnerEvent(someone));
    expect(error.problems[0]).toMatch(/^source: this function takes no Okta events \(deploy with -c oktaEventSource=/);
  });
});
