import { createHash } from 'node:crypto';
import { ownerClassifier } from './classify-owner';
import type { ScannerConfig } from './config';
import {
  ALL_RESOURCES,
  type Finding,
  RESOURCE_TYPES,
  type ReportSummary,
  type ResourceRef,
  type ScanError,
  SEVERITIES,
  severityRank,
  VERDICTS,
  type Verdict,
} from './domain/finding';
import {
  describeFailure,
  type FailedSource,
  failedSource,
  type Inventory,
  SOURCE_NAMES,
  SOURCE_SCOPES,
  type SourceName,
  withDependencies,
} from './domain/inventory';
import type { Rule, RuleContext, RuleResult } from './domain/rule';
import { ConfigError } from './errors';
import { getRule, RULES } from './rules';
import { isActive } from './suppressions';

// The engine: runs the selected rules over one inventory and turns their results into findings
// (stable ids, severity and remediation defaults, suppressions), in the report's order.

export interface EvaluateOptions {
  config: ScannerConfig;
  now: Date;
  /** Only these rules; all when absent. */
  ruleIds?: readonly string[];
}

export interface Evaluation {
  findings: Finding[];
  rulesRun: string[];
  /** Rules that ran without throwing and whose sources were all read completely. */
  completeRules: string[];
  /**
   * One per source the selected rules needed (directly, or to reach what they read) and could
   * not read: what makes a report incomplete. A replayed inventory may carry failures of sources
   * the selected rules never look at: those are not errors of this evaluation.
   */
  errors: ScanError[];
}

function selectRules(ruleIds?: readonly string[]): Rule[] {
  if (ruleIds === undefined) return [...RULES];
  const valid = RULES.map((r) => r.id).join(', ');
  if (ruleIds.length === 0) throw new ConfigError('No rule selected', [`choose one or more of: ${valid}`]);
  const unknown = ruleIds.filter((id) => !getRule(id));
  if (unknown.length > 0) {
    throw new ConfigError(
      `Unknown rule id${unknown.length > 1 ? 's' : ''}`,
      unknown.map((id) => `"${id}" is not a rule; valid ids: ${valid}`),
    );
  }
  return RULES.filter((r) => ruleIds.includes(r.id));
}

function allSources(rule: Rule): SourceName[] {
  return [...rule.sources, ...(rule.contextSources ?? [])];
}

/** The sources the selected rules read, so a scan collects only those. Throws ConfigError on an unknown id. */
export function sourcesFor(ruleIds?: readonly string[]): SourceName[] {
  const needed = new Set(selectRules(ruleIds).flatMap(allSources));
  return SOURCE_NAMES.filter((s) => needed.has(s));
}

/** Stable across scans: the same rule, resource type and resource id always give the same id. */
export function findingId(ruleId: string, resource: Pick<ResourceRef, 'type' | 'id'>): string {
  return createHash('sha256').update(`${ruleId}\u0000${resource.type}\u0000${resource.id}`).digest('hex').slice(0, 16);
}

export function summarizeFindings(findings: readonly Finding[]): ReportSummary {
  const byStatus = Object.fromEntries(VERDICTS.map((v) => [v, 0])) as ReportSummary['byStatus'];
  const failBySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as ReportSummary['failBySeverity'];
  for (const finding of findings) {
    byStatus[finding.status]++;
    if (finding.status === 'FAIL') failBySeverity[finding.severity]++;
  }
  return { byStatus, failBySeverity };
}

const STATUS_ORDER: Record<Verdict, number> = { FAIL: 0, UNKNOWN: 1, SUPPRESSED: 2, PASS: 3 };

function compareFindings(a: Finding, b: Finding): number {
  return (
    STATUS_ORDER[a.status] - STATUS_ORDER[b.status] ||
    severityRank(a.severity) - severityRank(b.severity) ||
    a.ruleId.localeCompare(b.ruleId) ||
    a.resource.name.localeCompare(b.resource.name) ||
    a.resource.id.localeCompare(b.resource.id)
  );
}

/** A PASS that rests on a source that could not be read is not a pass: it becomes UNKNOWN. */
function guardPass(rule: Rule, result: RuleResult, inventory: Inventory): RuleResult {
  if (result.status !== 'PASS') return result;
  const failure = failedSource(inventory, ...rule.sources);
  if (!failure) return result;
  return {
    ...result,
    status: 'UNKNOWN',
    message: `Could not check ${RESOURCE_TYPES[result.resource.type].inSentence} "${result.resource.name}" for "${rule.title}": ${describeFailure(failure)}.`,
    evidence: { ...result.evidence, unreadSource: failure.source, reason: failure.reason, wouldOtherwisePass: true },
  };
}

function toFinding(rule: Rule, result: RuleResult, config: ScannerConfig, now: Date): Finding {
  const finding: Finding = {
    id: findingId(rule.id, result.resource),
    ruleId: rule.id,
    status: result.status,
    severity: result.severity ?? rule.severity,
    resource: result.resource,
    owner: result.owner ?? null,
    message: result.message,
    remediation: result.remediation ?? rule.remediation,
    evidence: result.evidence,
    compliance: rule.compliance.map((ref) => ({ ...ref })),
  };
  const matching = config.suppressions.filter((s) => s.ruleId === rule.id && s.resourceId === result.resource.id);
  if (matching.length === 0) return finding;
  const active = matching.find((s) => isActive(s, now));
  if (active) {
    // Only a violation can be suppressed: an UNKNOWN still says "could not be checked".
    if (finding.status === 'FAIL') {
      finding.status = 'SUPPRESSED';
      finding.suppression = { reason: active.reason, expires: active.expires };
    }
    return finding;
  }
  const expired = matching[0];
  finding.evidence = { ...finding.evidence, expiredSuppression: { reason: expired.reason, expires: expired.expires } };
  return finding;
}

/** The one row of a rule whose list of resources could not be read: it is not run. */
function unlisted(rule: Rule, failure: FailedSource): RuleResult {
  return {
    status: 'UNKNOWN',
    resource: ALL_RESOURCES[rule.resourceType],
    owner: null,
    message: `${rule.listedWhat} could not be checked: ${describeFailure(failure)}.`,
    evidence: { unreadSource: failure.source, reason: failure.reason, requiredScope: failure.requiredScope },
  };
}

/** The rule's rows, with every PASS that rests on an unread source turned UNKNOWN. */
function resultsOf(rule: Rule, inventory: Inventory, ctx: RuleContext): RuleResult[] {
  const failure = rule.listedFrom ? failedSource(inventory, rule.listedFrom) : null;
  if (failure) return [unlisted(rule, failure)];
  return rule.evaluate(inventory, ctx).map((r) => guardPass(rule, r, inventory));
}

function ruleCrashedResult(rule: Rule, error: unknown): RuleResult {
  const message = error instanceof Error ? error.message : String(error);
  return {
    status: 'UNKNOWN',
    resource: ALL_RESOURCES[rule.resourceType],
    owner: null,
    message: `Rule ${rule.id} could not be evaluated: it failed with "${message}".`,
    evidence: { error: message },
  };
}

/** Runs the selected rules over the inventory. Throws ConfigError on an unknown rule id. */
export function evaluateRules(inventory: Inventory, options: EvaluateOptions): Evaluation {
  const rules = selectRules(options.ruleIds);
  const ctx: RuleContext = {
    now: options.now,
    settings: {
      expiryWarningDays: options.config.expiryWarningDays,
      leavers: options.config.leavers,
      inactivitySuspendDays: options.config.inactivitySuspendDays,
      unusedTokenDays: options.config.unusedTokenDays,
    },
    classifyOwner: ownerClassifier(inventory, options.config.serviceAccounts),
  };
  const findings: Finding[] = [];
  const completeRules: string[] = [];
  for (const rule of rules) {
    let results: RuleResult[];
    let threw = false;
    try {
      results = resultsOf(rule, inventory, ctx);
    } catch (error) {
      // One broken rule must not hide the others' findings.
      results = [ruleCrashedResult(rule, error)];
      threw = true;
    }
    for (const result of results) findings.push(toFinding(rule, result, options.config, options.now));
    if (!threw && !failedSource(inventory, ...allSources(rule))) completeRules.push(rule.id);
  }
  findings.sort(compareFindings);
  return { findings, rulesRun: rules.map((r) => r.id), completeRules, errors: unreadSources(inventory, rules) };
}

function unreadSources(inventory: Inventory, rules: readonly Rule[]): ScanError[] {
  const needed = withDependencies(rules.flatMap(allSources));
  const errors: ScanError[] = [];
  for (const source of SOURCE_NAMES) {
    const state = inventory.sources[source];
    if (state?.status === 'failed' && needed.has(source)) {
      errors.push({ source, message: state.reason, requiredScope: state.requiredScope ?? SOURCE_SCOPES[source] });
    }
  }
  return errors;
}
