// Compliant: no integration runs on an account that is leaving (in a leavers group, or with its leaving date within the warning days).
import { CONTROLS } from '../domain/compliance';
import { type LeaversSettings, leavingVerdict } from '../domain/leaving';
import type { Rule, RuleResult } from '../domain/rule';
import { type DependencySubject, evaluateDependencies } from './support/dependencies';
import { ownerPhrase } from './support/phrasing';
import { REFERENCES as R } from './support/references';

function when(daysLeft: number | null): string {
  if (daysLeft === null) return '';
  if (daysLeft > 1) return `, in ${daysLeft} days`;
  if (daysLeft === 1) return ', tomorrow';
  if (daysLeft === 0) return ', today';
  return `, ${-daysLeft} day${daysLeft === -1 ? '' : 's'} ago`;
}

function judge(
  { dependency, classification, owner }: DependencySubject,
  leavers: LeaversSettings,
  now: Date,
): RuleResult {
  const { resource, label, firstStep } = dependency;
  const who = owner.login ?? owner.id;
  if (classification.missing) {
    return {
      status: 'PASS',
      resource,
      owner,
      message: `${label} runs on ${ownerPhrase(owner, true)}: there is no leaving to warn of (the account is already gone).`,
      evidence: { ownerMissing: true },
    };
  }
  if (classification.user === null) {
    return {
      status: 'UNKNOWN',
      resource,
      owner,
      message: `Could not check whether the account ${label} runs on is leaving: ${ownerPhrase(owner)}.`,
      evidence: { ownerMissing: false },
    };
  }
  const verdict = leavingVerdict(classification.user, leavers, now);
  if (verdict.status === 'unknown') {
    return {
      status: 'UNKNOWN',
      resource,
      owner,
      message: `Could not check whether ${who}, on whom ${label} runs, is leaving: ${verdict.why}.`,
      evidence: { why: verdict.why },
    };
  }
  if (verdict.status === 'leaving') {
    return {
      status: 'FAIL',
      resource,
      owner,
      message: `${label} runs on ${who}, who is leaving (${verdict.reason}${when(verdict.daysLeft)}): it stops when the account is deactivated.`,
      remediation: `Before ${verdict.date ?? 'the account is deactivated'}: ${firstStep}`,
      evidence: { leaving: verdict.reason, leavingDate: verdict.date, daysLeft: verdict.daysLeft },
    };
  }
  return {
    status: 'PASS',
    resource,
    owner,
    message: `${label} runs on ${who}, who is not marked as leaving.`,
    evidence: { leaving: null },
  };
}

export const ownerLeaving: Rule = {
  id: 'owner-leaving',
  title: 'Integration runs on an account that is leaving',
  severity: 'critical',
  resourceType: 'api_token',
  otherResourceTypes: ['ad_agent', 'workflows_connection', 'app_provisioning'],
  rationale:
    "When a leaver's account is deactivated, every integration that runs on it stops: API tokens are deprovisioned with the account, token-based AD agents stop, Workflows connections and provisioning authorizations lose their credentials. Moving them before the leaving date avoids the outage.",
  remediation:
    'Before the leaving date, move each integration that runs on the account to a service account (or an OAuth 2.0 service app), starting with the most severe.',
  compliance: [CONTROLS.nhiImproperOffboarding],
  references: [R.apiTokens, R.workflowsDeactivate, R.adminDeactivated, R.userProfile],
  // The leaving signals come with the owner reads (groups, profile); the integrations' lists are
  // checked per kind by the frame, so an org without AD agents still gets verdicts.
  sources: ['owners', 'ownerGroups'],
  // No listedFrom: integrations come from several sources; evaluateDependencies reports each unread one.
  listedWhat: 'Whether the accounts integrations run on are leaving',
  // Only with its settings (leavers, inactivitySuspendDays) does it judge anything.
  judgesEveryResource: false,
  contextSources: ['apiTokens', 'agentPools', 'agentEvents', 'workflowsEvents', 'apps', 'provisioningEvents'],
  evaluate(inventory, ctx): RuleResult[] {
    const leavers = ctx.settings.leavers;
    if (!leavers || (leavers.groups.length === 0 && leavers.dateAttribute === undefined)) return [];
    return evaluateDependencies(inventory, ctx, (subject) => judge(subject, leavers, ctx.now));
  },
};
