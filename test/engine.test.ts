import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, parseConfig } from '../lambda/config';
import type { Finding } from '../lambda/domain/finding';
import { SOURCE_NAMES } from '../lambda/domain/inventory';
import { evaluateRules, findingId, sourcesFor, summarizeFindings } from '../lambda/engine';
import { ConfigError } from '../lambda/errors';
import { RULE_IDS, RULES } from '../lambda/rules';
import {
  ALICE,
  BOB,
  build,
  NOW,
  TOKEN,
  withAgent,
  withSourceFailed,
  withSourceSkipped,
  withToken,
} from './support/inventory-builder';

const evaluate = (inventory = build(), config = DEFAULT_CONFIG, ruleIds?: string[]) =>
  evaluateRules(inventory, { config, now: NOW, ruleIds });

const one = (findings: Finding[], ruleId: string, resourceId = TOKEN): Finding => {
  const found = findings.find((f) => f.ruleId === ruleId && f.resource.id === resourceId);
  if (!found) throw new Error(`no ${ruleId} finding for ${resourceId}`);
  return found;
};

const suppression = (patch: Record<string, string> = {}) => ({
  ruleId: 'api-token-owner-is-human',
  resourceId: TOKEN,
  reason: 'Vendor tool; replacement planned (CHG-1234)',
  expires: '2027-01-31',
  ...patch,
});

describe('evaluateRules', () => {
  it('runs every rule on a compliant org and finds nothing failing', () => {
    const result = evaluate();
    expect(result.rulesRun).toEqual([...RULE_IDS]);
    expect(result.completeRules).toEqual([...RULE_IDS]);
    expect(result.errors).toEqual([]);
    expect(result.findings.filter((f) => f.status === 'FAIL')).toEqual([]);
  });

  it('runs only the rules asked for', () => {
    const result = evaluate(build(), DEFAULT_CONFIG, ['api-token-expiring']);
    expect(result.rulesRun).toEqual(['api-token-expiring']);
    expect(new Set(result.findings.map((f) => f.ruleId))).toEqual(new Set(['api-token-expiring']));
  });

  it('refuses an unknown rule id and lists the valid ones', () => {
    const attempt = () => evaluate(build(), DEFAULT_CONFIG, ['api-token-expiring', 'api-token-ownr-is-human']);
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(/"api-token-ownr-is-human" is not a rule; valid ids: ad-agent-not-operational, /);
  });

  it('refuses an empty rule selection', () => {
    expect(() => evaluate(build(), DEFAULT_CONFIG, [])).toThrow(ConfigError);
  });

  it("fills in the rule's severity and remediation, and a null owner where none is known", () => {
    const finding = one(evaluate().findings, 'org2org-token-auth', '0oaorg2orghub00001');
    const rule = RULES.find((r) => r.id === 'org2org-token-auth');
    expect(finding).toMatchObject({ severity: 'medium', remediation: rule?.remediation, owner: null });
  });

  it('orders findings FAIL, UNKNOWN, SUPPRESSED, PASS, then by severity, rule and resource name', () => {
    const config = parseConfig({ suppressions: [suppression()] });
    const inventory = build(
      withToken({ userId: ALICE, network: null }),
      withAgent({ version: '3.1.0' }),
      (inv) => (inv.workflowsConnections[0].lastAuthorizedBy.id = BOB),
      (inv) => (inv.provisioningAuthorizations = {}),
    );
    const findings = evaluate(inventory, config).findings;
    const order = { FAIL: 0, UNKNOWN: 1, SUPPRESSED: 2, PASS: 3 };
    const ranks = findings.map((f) => order[f.status]);
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    const fails = findings.filter((f) => f.status === 'FAIL').map((f) => f.severity);
    expect(fails[0]).toBe('critical');
    expect(fails.at(-1)).toBe('low');
    expect(new Set(findings.map((f) => f.status))).toEqual(new Set(['FAIL', 'UNKNOWN', 'SUPPRESSED', 'PASS']));
  });
});

describe('finding ids', () => {
  it('are the same for the same rule and resource in every scan', () => {
    const first = evaluate().findings.map((f) => f.id);
    const second = evaluate(build(withToken({ name: 'Renamed token', userId: ALICE }))).findings.map((f) => f.id);
    expect(new Set(second)).toEqual(new Set(first));
  });

  it('are short hex strings that differ by rule, resource type and resource id', () => {
    const id = findingId('api-token-owner-is-human', { type: 'api_token', id: TOKEN });
    expect(id).toMatch(/^[0-9a-f]{16}$/);
    expect(findingId('api-token-owner-is-human', { type: 'api_token', id: TOKEN })).toBe(id);
    expect(findingId('api-token-expiring', { type: 'api_token', id: TOKEN })).not.toBe(id);
    expect(findingId('api-token-owner-is-human', { type: 'ad_agent', id: TOKEN })).not.toBe(id);
    expect(findingId('api-token-owner-is-human', { type: 'api_token', id: `${TOKEN}x` })).not.toBe(id);
  });

  it('are unique within a scan', () => {
    const ids = evaluate(build(withSourceFailed('provisioning'))).findings.map((f) => f.id);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('suppressions', () => {
  const failing = build(withToken({ userId: ALICE }));

  it('turn a matching FAIL into SUPPRESSED, keeping its severity and saying why and until when', () => {
    const config = parseConfig({ suppressions: [suppression()] });
    const finding = one(evaluate(failing, config).findings, 'api-token-owner-is-human');
    expect(finding.status).toBe('SUPPRESSED');
    expect(finding.severity).toBe('high');
    expect(finding.suppression).toEqual({
      reason: 'Vendor tool; replacement planned (CHG-1234)',
      expires: '2027-01-31',
    });
  });

  it('hold through the whole day they expire on', () => {
    const config = parseConfig({ suppressions: [suppression({ expires: NOW.toISOString().slice(0, 10) })] });
    expect(one(evaluate(failing, config).findings, 'api-token-owner-is-human').status).toBe('SUPPRESSED');
  });

  it('no longer hide anything once expired, and the finding says so', () => {
    const config = parseConfig({ suppressions: [suppression({ expires: '2026-11-27' })] });
    const finding = one(evaluate(failing, config).findings, 'api-token-owner-is-human');
    expect(finding.status).toBe('FAIL');
    expect(finding.suppression).toBeUndefined();
    expect(finding.evidence.expiredSuppression).toEqual({
      reason: 'Vendor tool; replacement planned (CHG-1234)',
      expires: '2026-11-27',
    });
  });

  it('do not apply to another resource', () => {
    const config = parseConfig({ suppressions: [suppression({ resourceId: '00Tsomethingelse' })] });
    expect(one(evaluate(failing, config).findings, 'api-token-owner-is-human').status).toBe('FAIL');
  });

  it('do not apply to another rule on the same resource', () => {
    const config = parseConfig({ suppressions: [suppression({ ruleId: 'api-token-expiring' })] });
    expect(one(evaluate(failing, config).findings, 'api-token-owner-is-human').status).toBe('FAIL');
  });

  it('do not hide an UNKNOWN: it still says what could not be checked', () => {
    const config = parseConfig({ suppressions: [suppression()] });
    const finding = one(evaluate(build(withSourceFailed('ownerGroups')), config).findings, 'api-token-owner-is-human');
    expect(finding.status).toBe('UNKNOWN');
  });
});

describe('failed sources', () => {
  it('give one error per failed source with the scope it needs', () => {
    const result = evaluate(
      build(withSourceFailed('ownerRoles', 'HTTP 403'), withSourceFailed('workflowsEvents', 'timeout')),
    );
    expect(result.errors).toEqual([
      { source: 'workflowsEvents', message: 'timeout', requiredScope: 'okta.logs.read' },
      { source: 'ownerRoles', message: 'HTTP 403', requiredScope: 'okta.roles.read' },
    ]);
  });

  it('turn what would have passed into UNKNOWN, never PASS', () => {
    const findings = evaluate(build(withSourceFailed('ownerRoles'))).findings;
    const finding = one(findings, 'api-token-owner-super-admin');
    expect(finding.status).toBe('UNKNOWN');
    expect(finding.message).toContain('ownerRoles could not be read');
    expect(finding.evidence).toMatchObject({ unreadSource: 'ownerRoles', wouldOtherwisePass: true });
  });

  it('leave the rules that do not need them untouched and complete', () => {
    const result = evaluate(build(withSourceFailed('ownerRoles')));
    expect(result.completeRules).not.toContain('api-token-owner-super-admin');
    expect(result.completeRules).toContain('api-token-owner-is-human');
    expect(one(result.findings, 'api-token-owner-is-human').status).toBe('PASS');
  });

  it('make a rule incomplete when a source it reads only for context failed, without changing its verdict', () => {
    const result = evaluate(build(withSourceFailed('agentEvents')));
    expect(result.completeRules).not.toContain('ad-agent-token-based');
    expect(result.findings.find((f) => f.ruleId === 'ad-agent-token-based')?.status).toBe('PASS');
  });

  it('leave a report complete when no selected rule reads them, directly or through another source', () => {
    const inventory = build(withSourceFailed('ownerRoles'), withSourceFailed('agentEvents'));
    expect(evaluate(inventory, DEFAULT_CONFIG, ['api-token-expiring']).errors).toEqual([]);
    expect(evaluate(inventory, DEFAULT_CONFIG, ['api-token-owner-super-admin']).errors.map((e) => e.source)).toEqual([
      'ownerRoles',
    ]);
  });

  it('skipped sources are not failures', () => {
    const result = evaluate(build(withSourceSkipped('apiTokenEvents')));
    expect(result.errors).toEqual([]);
    expect(result.completeRules).toEqual([...RULE_IDS]);
  });
});

describe('a rule that throws', () => {
  const broken = build((inv) => {
    (inv as unknown as { apiTokens: null }).apiTokens = null;
  });

  it('becomes one UNKNOWN finding with the error, and the scan goes on', () => {
    const result = evaluate(broken);
    const crashed = result.findings.filter((f) => f.ruleId === 'api-token-owner-is-human');
    expect(crashed).toHaveLength(1);
    expect(crashed[0]).toMatchObject({ status: 'UNKNOWN', resource: { type: 'api_token', id: 'api-tokens/*' } });
    expect(crashed[0].message).toMatch(/^Rule api-token-owner-is-human could not be evaluated: it failed with ".+"\.$/);
    expect(result.findings.some((f) => f.ruleId === 'org2org-token-auth' && f.status === 'PASS')).toBe(true);
    expect(result.completeRules).not.toContain('api-token-owner-is-human');
    expect(result.completeRules).toContain('org2org-token-auth');
  });
});

describe('sourcesFor', () => {
  it('names only the sources the chosen rules read', () => {
    expect(sourcesFor(['org2org-token-auth'])).toEqual(['apps', 'provisioning']);
    expect(sourcesFor(['api-token-expiring'])).toEqual(['apiTokens', 'owners', 'ownerGroups']);
  });

  it('names every source a full scan needs, in a fixed order', () => {
    const all = sourcesFor();
    expect(all).toEqual(SOURCE_NAMES.filter((s) => all.includes(s)));
    expect(all).toEqual(
      expect.arrayContaining(['apiTokens', 'agentPools', 'agentEvents', 'workflowsEvents', 'ownerRoles']),
    );
  });

  it('refuses an unknown rule id', () => {
    expect(() => sourcesFor(['nope'])).toThrow(ConfigError);
  });
});

describe('summarizeFindings', () => {
  it('counts findings by status and FAILs by severity', () => {
    const config = parseConfig({ suppressions: [suppression()] });
    const findings = evaluate(build(withToken({ userId: BOB, network: null })), config).findings;
    const summary = summarizeFindings(findings);
    expect(summary.failBySeverity).toEqual({ critical: 1, high: 0, medium: 0, low: 1, info: 0 });
    expect(summary.byStatus.SUPPRESSED).toBe(1);
    const total = Object.values(summary.byStatus).reduce((a, b) => a + b, 0);
    expect(total).toBe(findings.length);
  });

  it('gives all-zero counts for no findings', () => {
    expect(summarizeFindings([])).toEqual({
      byStatus: { PASS: 0, FAIL: 0, UNKNOWN: 0, SUPPRESSED: 0 },
      failBySeverity: { critical: 0, high: 0, medium: 0, low: 0, info: 0 },
    });
  });
});
