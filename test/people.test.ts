import { describe, expect, it } from 'vitest';
import { parseConfig } from '../lambda/config';
import type { Inventory } from '../lambda/domain/inventory';
import { evaluateRules, summarizeFindings } from '../lambda/engine';
import { peopleReport } from '../lambda/people';
import { sampleReport } from './cli/report-schema';
import {
  ALICE,
  BOB,
  build,
  NOW,
  SVC,
  TOKEN,
  withAgent,
  withMissingUser,
  withToken,
  withUser,
} from './support/inventory-builder';

// The people view computed from a scan's findings and inventory (issue 14): no Okta request.

const config = parseConfig({ leavers: { groups: ['Leavers'] } });

function peopleOf(inventory: Inventory) {
  const { findings } = evaluateRules(inventory, { config, now: NOW });
  const report = sampleReport(findings, { summary: summarizeFindings(findings) });
  return peopleReport(report, inventory, { config, now: NOW }).people;
}

describe('the people view', () => {
  it('lists the service account every integration of the compliant org runs on, failing nothing', () => {
    const [svc, ...others] = peopleOf(build());
    expect(others).toEqual([]);
    expect(svc).toMatchObject({ id: SVC, kind: 'service', status: 'ACTIVE', leaving: null });
    expect(svc.breaks).toEqual({ critical: 0, high: 0, medium: 0, low: 0 });
    expect(svc.integrations.map((i) => [i.type, i.severity])).toEqual([
      ['api_token', 'info'],
      ['workflows_connection', 'info'],
      ['app_provisioning', 'info'],
    ]);
  });

  it('ranks a person whose token would break critically above the service account with more integrations', () => {
    const people = peopleOf(build(withToken({ userId: BOB })));
    expect(people.map((p) => p.id)).toEqual([BOB, SVC]);
    expect(people[0].breaks.critical).toBe(1);
    expect(people[0].integrations[0]).toMatchObject({ id: TOKEN, severity: 'critical' });
    expect(people[0].integrations[0].ruleIds).toContain('api-token-owner-not-active');
  });

  it('counts an AD agent on its installer token and says who is leaving and why', () => {
    const people = peopleOf(
      build(
        withToken({ userId: ALICE }),
        withAgent({ version: '3.1.0' }),
        withUser(ALICE, { groups: [{ id: '00gl', name: 'Leavers' }] }),
      ),
    );
    const alice = people.find((p) => p.id === ALICE)!;
    expect(alice.leaving).toEqual({ reason: 'group Leavers' });
    expect(people[0].id).toBe(ALICE);
    const svc = people.find((p) => p.id === SVC)!;
    expect(svc.integrations.map((i) => i.type)).toContain('ad_agent');
  });

  it('keeps a deleted owner, of unknown kind and status', () => {
    const people = peopleOf(build(withToken({ userId: BOB }), withMissingUser(BOB)));
    expect(people[0]).toMatchObject({ id: BOB, kind: 'unknown', status: null, login: null });
  });
});
