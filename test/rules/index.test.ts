import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseConfig } from '../../lambda/config';
import { CONTROLS } from '../../lambda/domain/compliance';
import { RESOURCE_TYPES, SEVERITIES } from '../../lambda/domain/finding';
import { type Inventory, SOURCE_NAMES } from '../../lambda/domain/inventory';
import type { Rule } from '../../lambda/domain/rule';
import { evaluateRules } from '../../lambda/engine';
import { getRule, RULE_IDS, RULES } from '../../lambda/rules';
import {
  ALICE,
  BOB,
  build,
  daysFromNow,
  NOW,
  withAgent,
  withMissingUser,
  withSourceFailed,
  withToken,
  withUnreadUser,
  withUser,
} from '../support/inventory-builder';
import { AGENT_RULES, CONNECTION_RULES, PUSH_RULES, TOKEN_RULES, WORKFLOWS_RULES } from '../support/rule-groups';

const RULES_DIR = join(__dirname, '../../lambda/rules');
const NOT_RULES = new Set(['index.ts']);

// The rule catalogue with each rule's severity: ids are public (suppressions name them).
const CATALOGUE: Record<string, string> = {
  'api-token-owner-is-human': 'high',
  'api-token-owner-not-active': 'critical',
  'api-token-owner-super-admin': 'medium',
  'api-token-expiring': 'medium',
  'api-token-unrestricted-network': 'low',
  'api-token-unused': 'low',
  'ad-agent-token-based': 'high',
  'ad-agent-not-operational': 'medium',
  'workflows-connection-authorized-by-human': 'high',
  'workflows-connection-authorizer-not-active': 'critical',
  'provisioning-connection-disabled': 'high',
  'provisioning-auth-failing': 'high',
  'provisioning-deactivation-not-pushed': 'critical',
  'provisioning-deactivation-disabled': 'medium',
  'provisioning-authorized-by-human': 'high',
  'org2org-token-auth': 'medium',
  'owner-leaving': 'critical',
  'owner-inactive': 'high',
};

const REPORT_RESOURCE_TYPES = Object.keys(RESOURCE_TYPES);

// Every optional setting on, so that the rules a setting turns on are checked too.
const EVERY_SETTING = parseConfig({
  leavers: { groups: ['Leavers'], dateAttribute: 'terminationDate', warningDays: 14 },
  inactivitySuspendDays: 35,
});

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/** Inventories that push every rule through its PASS, FAIL and UNKNOWN paths. */
function variedInventories(): Inventory[] {
  return [
    build(),
    build(withToken({ userId: ALICE, expiresAt: daysFromNow(1), network: null }), withAgent({ version: '3.1.0' })),
    build(withToken({ userId: BOB }), withMissingUser(BOB), withUser(ALICE, { groups: null, roles: null })),
    build(withUnreadUser('00usvcintegrations1'), withAgent({ operationalStatus: 'INACTIVE', version: null })),
    build(...SOURCE_NAMES.map((s) => withSourceFailed(s))),
  ];
}

describe('the rule catalogue', () => {
  it('has exactly the ids and severities of the published catalogue', () => {
    expect(Object.fromEntries(RULES.map((r) => [r.id, r.severity]))).toEqual(CATALOGUE);
  });

  it('lists rules sorted by id, each id once', () => {
    expect([...RULE_IDS]).toEqual([...RULE_IDS].sort());
    expect(new Set(RULE_IDS).size).toBe(RULE_IDS.length);
  });

  it('lists every rule file, and every listed rule has its own file', () => {
    const files = readdirSync(RULES_DIR).filter((f) => f.endsWith('.ts') && !NOT_RULES.has(f));
    expect(files.map((f) => f.replace(/\.ts$/, '')).sort()).toEqual([...RULE_IDS]);
  });

  it.each(RULES.map((r) => [r.id, r] as const))('%s: its file exports exactly this rule', async (id, rule) => {
    const module = (await import(`../../lambda/rules/${id}`)) as Record<string, unknown>;
    expect(Object.values(module)).toEqual([rule]);
  });

  it.each(RULE_IDS)('%s: the file opens with the compliant condition', (id) => {
    const firstLine = readFileSync(join(RULES_DIR, `${id}.ts`), 'utf8').split('\n')[0];
    expect(firstLine).toMatch(/^\/\/ Compliant: \S.*\.$/);
  });

  it.each(RULE_IDS)('%s: has a test file', (id) => {
    expect(existsSync(join(__dirname, `${id}.test.ts`))).toBe(true);
  });

  it.each(RULES.map((r) => [r.id, r] as const))('%s: metadata is complete', (_id, rule: Rule) => {
    expect(rule.title.trim()).not.toBe('');
    expect(rule.rationale.length).toBeGreaterThan(40);
    expect(rule.remediation.length).toBeGreaterThan(40);
    expect(SEVERITIES).toContain(rule.severity);
    expect(REPORT_RESOURCE_TYPES).toContain(rule.resourceType);
    for (const type of rule.otherResourceTypes ?? []) expect(REPORT_RESOURCE_TYPES).toContain(type);
    expect(rule.references.length).toBeGreaterThan(0);
    for (const ref of rule.references) expect(ref).toMatch(/^https:\/\//);
    expect(rule.sources.length).toBeGreaterThan(0);
    for (const source of [...rule.sources, ...(rule.contextSources ?? [])]) expect(SOURCE_NAMES).toContain(source);
    // A rule without a listing source lists from several and reports each unread one itself.
    if (rule.listedFrom) expect(rule.sources).toContain(rule.listedFrom);
    else expect(rule.otherResourceTypes?.length).toBeGreaterThan(0);
    expect(rule.listedWhat.trim()).not.toBe('');
    for (const ref of rule.compliance) {
      expect(Object.values(CONTROLS)).toContainEqual(ref);
    }
    expect(typeof rule.evaluate).toBe('function');
  });

  it('maps a rule to a control only where the control says what the rule checks', () => {
    const mapped = Object.fromEntries(
      RULES.filter((r) => r.compliance.length > 0).map((r) => [r.id, r.compliance.map((c) => c.control).sort()]),
    );
    expect(mapped).toEqual({
      'ad-agent-token-based': ['NHI4:2025'],
      'api-token-owner-is-human': ['V-279690'],
      'api-token-owner-not-active': ['NHI1:2025'],
      'api-token-owner-super-admin': ['NHI5:2025', 'V-279690'],
      'api-token-unrestricted-network': ['V-279689'],
      'org2org-token-auth': ['NHI4:2025'],
      'owner-leaving': ['NHI1:2025'],
      'workflows-connection-authorizer-not-active': ['NHI1:2025'],
    });
  });

  it('every app rule says which apps it judges, so the fuzz tests check it on each of them', () => {
    for (const rule of RULES.filter((r) => r.resourceType === 'app_provisioning' || r.resourceType === 'app_user')) {
      expect(rule.judgesApps, rule.id).toBeDefined();
    }
    const grouped = [...TOKEN_RULES, ...AGENT_RULES, ...WORKFLOWS_RULES, ...PUSH_RULES, ...CONNECTION_RULES];
    expect(grouped.sort()).toEqual(RULES.filter((r) => r.judgesEveryResource !== false).map((r) => r.id));
  });

  it('getRule finds a rule by id and nothing for an unknown id', () => {
    expect(getRule('org2org-token-auth')?.id).toBe('org2org-token-auth');
    expect(getRule('no-such-rule')).toBeUndefined();
  });
});

describe('every rule', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it.each(RULES.map((r) => [r.id, r] as const))(
    '%s: reports only its own resource type, in one sentence each',
    (_id, rule) => {
      for (const inventory of variedInventories()) {
        const { findings } = evaluateRules(inventory, { config: EVERY_SETTING, now: NOW, ruleIds: [rule.id] });
        for (const finding of findings) {
          expect([rule.resourceType, ...(rule.otherResourceTypes ?? [])]).toContain(finding.resource.type);
          expect(finding.message).toMatch(/^\S.*[.]$/);
          expect(finding.message).not.toContain('\n');
          expect(finding.remediation.length).toBeGreaterThan(0);
        }
      }
    },
  );

  it.each(RULES.map((r) => [r.id, r] as const))(
    '%s: is pure: never changes the inventory and ignores the wall clock',
    (_id, rule) => {
      for (const inventory of variedInventories()) {
        const frozen = deepFreeze(inventory);
        const run = () => evaluateRules(frozen, { config: EVERY_SETTING, now: NOW, ruleIds: [rule.id] }).findings;
        vi.useFakeTimers({ now: new Date('2020-01-01T00:00:00Z') });
        const early = run();
        vi.setSystemTime(new Date('2035-06-30T00:00:00Z'));
        const late = run();
        vi.useRealTimers();
        expect(late).toEqual(early);
      }
    },
  );

  it.each(RULES.map((r) => [r.id, r] as const))('%s: never passes anything when every source failed', (_id, rule) => {
    const inventory = build(...SOURCE_NAMES.map((s) => withSourceFailed(s)));
    const { findings } = evaluateRules(inventory, { config: EVERY_SETTING, now: NOW, ruleIds: [rule.id] });
    expect(findings.length).toBeGreaterThan(0);
    expect(findings.map((f) => f.status)).not.toContain('PASS');
    expect(findings.map((f) => f.status)).not.toContain('FAIL');
  });
});
