// Compliant: where the org suspends accounts after a number of days without sign-in, every account an integration runs on has signed in recently enough not to be suspended within the warning days.
import { DEFAULT_WARNING_DAYS, inactivityVerdict } from '../domain/leaving';
import type { Rule, RuleResult } from '../domain/rule';
import { type DependencySubject, evaluateDependencies } from './support/dependencies';
import { ownerPhrase, statusPhrase } from './support/phrasing';
import { REFERENCES as R } from './support/references';

interface InactivityPolicy {
  suspendDays: number;
  warningDays: number;
  now: Date;
}

function judge({ dependency, classification, owner }: DependencySubject, policy: InactivityPolicy): RuleResult {
  const { suspendDays, warningDays } = policy;
  const { resource, label, firstStep } = dependency;
  const who = owner.login ?? owner.id;
  const user = classification.user;
  if (classification.missing || (user !== null && classification.status !== 'ACTIVE' && classification.status)) {
    // Already gone or stopped: the owner-not-active rules say so; nothing is left to warn of.
    const state = classification.missing ? 'no longer exists' : `is ${statusPhrase(classification.status ?? '')}`;
    return {
      status: 'PASS',
      resource,
      owner,
      message: `${label} runs on ${who}, who ${state} already: an inactivity policy has nothing left to suspend.`,
      evidence: { ownerStatus: owner.status, ownerMissing: classification.missing },
    };
  }
  if (user === null || !classification.status) {
    return {
      status: 'UNKNOWN',
      resource,
      owner,
      message: `Could not check when the account ${label} runs on last signed in: ${user === null ? ownerPhrase(owner) : 'Okta gave no status'}.`,
      evidence: { ownerStatus: owner.status },
    };
  }
  const verdict = inactivityVerdict(user, suspendDays, warningDays, policy.now);
  const evidence = { lastLogin: user.lastLogin ?? null, inactivitySuspendDays: suspendDays, warningDays };
  if (verdict.status === 'unknown') {
    return {
      status: 'UNKNOWN',
      resource,
      owner,
      message: `Could not check when ${who}, on whom ${label} runs, last signed in: ${verdict.why}.`,
      evidence,
    };
  }
  if (verdict.status === 'inactive') {
    const since =
      verdict.lastLogin === null ? 'has never signed in' : `last signed in on ${verdict.lastLogin.slice(0, 10)}`;
    const until =
      verdict.suspendsOn === null ? 'may be suspended at any time' : `is suspended from ${verdict.suspendsOn}`;
    return {
      status: 'FAIL',
      resource,
      owner,
      message: `${label} runs on ${who}, who ${since}: with suspension after ${suspendDays} days without sign-in, the account ${until} and the integration stops.`,
      remediation: `${firstStep} Or exempt ${who} from the inactivity policy.`,
      evidence: { ...evidence, suspendsOn: verdict.suspendsOn },
    };
  }
  return {
    status: 'PASS',
    resource,
    owner,
    message: `${label} runs on ${who}, who last signed in on ${verdict.lastLogin.slice(0, 10)}.`,
    evidence,
  };
}

export const ownerInactive: Rule = {
  id: 'owner-inactive',
  title: 'Integration runs on an account an inactivity policy will suspend',
  severity: 'high',
  resourceType: 'api_token',
  otherResourceTypes: ['ad_agent', 'workflows_connection', 'app_provisioning'],
  rationale:
    "Orgs that suspend accounts after a period without sign-in (the DISA Okta STIG V-273188 asks for 35 days) also suspend the accounts integrations run on: API calls made with a token are not sign-ins, so a token owner or Workflows authorizer that never signs in is suspended, and a suspended owner's tokens are rejected.",
  remediation:
    'Move the integration to a service account exempted from the inactivity policy (or to an OAuth 2.0 service app), or exempt this account from the policy.',
  compliance: [],
  references: [R.invalidToken, R.userStatus, R.apiTokens],
  sources: ['owners'],
  // No listedFrom: integrations come from several sources; evaluateDependencies reports each unread one.
  listedWhat: 'The recent sign-ins of the accounts integrations run on',
  // Only with its settings (leavers, inactivitySuspendDays) does it judge anything.
  judgesEveryResource: false,
  contextSources: ['apiTokens', 'agentPools', 'agentEvents', 'workflowsEvents', 'apps', 'provisioningEvents'],
  evaluate(inventory, ctx): RuleResult[] {
    const suspendDays = ctx.settings.inactivitySuspendDays;
    if (suspendDays === undefined) return [];
    const warningDays = ctx.settings.leavers?.warningDays ?? DEFAULT_WARNING_DAYS;
    return evaluateDependencies(inventory, ctx, (subject) =>
      judge(subject, { suspendDays, warningDays, now: ctx.now }),
    );
  },
};
