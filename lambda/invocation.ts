import { z } from 'zod';
import { describeIssues } from './config';
import { ConfigError } from './errors';
import { looksLikePartnerEvent, type OwnerEventRequest, parseOktaEvent } from './okta-event';
import { isOrchestrationPayload, type OrchestrationRequest, parseOrchestration } from './orchestration/payload';

// What one Lambda invocation asks for (the payload of the README's "The Lambda" section): the
// nightly schedule's EventBridge event, an Okta System Log event from the partner event bus
// (okta-event.ts), or an ad-hoc payload. Parsing lists every problem and
// does nothing else, so a payload that does not fit is refused before any work.

export const scheduledEventSchema = z.looseObject({
  source: z.literal('aws.events'),
  'detail-type': z.literal('Scheduled Event'),
  id: z.string().optional(),
  time: z.string().optional(),
});

export const adHocSchema = z.strictObject({
  mode: z.enum(['scan', 'whatif', 'people']).default('scan'),
  user: z.string().trim().min(1, 'must be a user id or login').optional(),
  dryRun: z.boolean().default(false),
  rules: z.array(z.string().min(1)).min(1, 'give at least one rule id, or leave rules out').optional(),
  notify: z.boolean().optional(),
  /** With `orgs` in the config: which one (the only one may be left out). */
  org: z.string().trim().min(1, 'must be the name of a configured org').optional(),
});

/** A scan: the schedule's (records and notifies) or an ad-hoc one. */
export interface ScanRequest {
  kind: 'scheduled' | 'adHoc';
  mode: 'scan';
  /** Records and notifies nothing. */
  dryRun: boolean;
  /** Only these rules; undefined: every rule. */
  rules?: string[];
  /** false: record without notifying; undefined: notify as the config says. */
  notify?: boolean;
  /** The configured org (ad hoc); undefined: the only one. */
  org?: string;
}

/** What breaks if this user is deactivated; never records or notifies. */
export interface WhatIfRequest {
  kind: 'adHoc';
  mode: 'whatif';
  user: string;
  org?: string;
}

/** Who integrations depend on, from a fresh scan; never records or notifies. */
export interface PeopleRequest {
  kind: 'adHoc';
  mode: 'people';
  org?: string;
}

export type { OwnerEventRequest } from './okta-event';

export type { OrchestrationRequest } from './orchestration/payload';

export type Invocation = ScanRequest | WhatIfRequest | PeopleRequest | OwnerEventRequest | OrchestrationRequest;

const EXPECTED =
  'Invalid invocation payload (expected a scheduled EventBridge event or {"mode"?, "user"?, "dryRun"?, "rules"?, "notify"?, "org"?})';
const EXPECTED_OKTA_EVENT =
  'Invalid Okta event (expected an EventBridge event from the Okta partner event source, its detail an Okta LogEvent)';

/** Where the function takes events from, besides its schedule and ad-hoc payloads. */
export interface InvocationSources {
  /** The Okta partner event source name the stack subscribed to; undefined: none. */
  oktaEventSource?: string;
}

/** Rule ids as the payload gave them, when they are a list of strings (to check them even when other keys are wrong). */
function rawRuleIds(event: unknown): string[] | undefined {
  const rules = event && typeof event === 'object' ? (event as { rules?: unknown }).rules : undefined;
  if (!Array.isArray(rules) || !rules.every((r) => typeof r === 'string')) return undefined;
  // Empty ids are the schema's to report; the catalogue would only say the same again.
  const ids = rules.filter((r) => r.length > 0);
  return ids.length > 0 ? ids : undefined;
}

/** The payload's unknown rule ids as "rules: …" problems, read from its raw `rules` whatever else is wrong. */
export function unknownRuleProblems(event: unknown, checkRuleIds?: (ruleIds: readonly string[]) => void): string[] {
  const ruleIds = rawRuleIds(event);
  if (!ruleIds || !checkRuleIds) return [];
  try {
    checkRuleIds(ruleIds);
    return [];
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return (error.problems.length > 0 ? error.problems : [error.message]).map((p) => `rules: ${p}`);
  }
}

/** Keys that fit the schema one by one but not the mode they were given with. */
function modeProblems(payload: z.output<typeof adHocSchema>): string[] {
  if (payload.mode === 'scan') return payload.user ? ['user: only used with "mode":"whatif"'] : [];
  if (payload.mode === 'people') {
    // The people view reads like a what-if: every rule, nothing recorded or notified.
    return (['user', 'rules', 'notify', 'dryRun'] as const)
      .filter((key) => (key === 'dryRun' ? payload.dryRun : payload[key] !== undefined))
      .map((key) => `${key}: not used with "mode":"people" (it records and notifies nothing)`);
  }
  const problems = payload.user
    ? []
    : ['user: what-if needs the user to deactivate, e.g. {"mode":"whatif","user":"alice@acme.com"}'];
  // A what-if runs every rule and never records or notifies: these would be silently ignored.
  for (const key of ['rules', 'notify'] as const) {
    if (payload[key] !== undefined) problems.push(`${key}: only used with "mode":"scan"`);
  }
  return problems;
}

/**
 * Validates an invocation payload; lists every problem (unknown rule ids too, when `checkRuleIds`
 * is given) and does nothing else.
 */
export function parseInvocation(
  event: unknown,
  checkRuleIds?: (ruleIds: readonly string[]) => void,
  sources: InvocationSources = {},
): Invocation {
  if (scheduledEventSchema.safeParse(event).success) return { kind: 'scheduled', mode: 'scan', dryRun: false };
  if (isOrchestrationPayload(event)) return parseOrchestration(event);
  if (looksLikePartnerEvent(event)) {
    const okta = parseOktaEvent(event, sources.oktaEventSource);
    if ('problems' in okta) throw new ConfigError(EXPECTED_OKTA_EVENT, okta.problems);
    return okta.request;
  }
  const parsed = adHocSchema.safeParse(event ?? {});
  const problems = parsed.success ? [] : describeIssues(parsed.error);
  problems.push(...unknownRuleProblems(event, checkRuleIds));
  if (parsed.success) problems.push(...modeProblems(parsed.data));
  if (!parsed.success || problems.length > 0) throw new ConfigError(EXPECTED, problems);
  const { mode, user, dryRun, rules, notify, org } = parsed.data;
  const named = org === undefined ? {} : { org };
  // A what-if without a user was refused above, with the other problems.
  if (mode === 'whatif' && user) return { kind: 'adHoc', mode, user, ...named };
  if (mode === 'people') return { kind: 'adHoc', mode, ...named };
  return {
    kind: 'adHoc',
    mode: 'scan',
    dryRun,
    ...(rules && { rules }),
    ...(notify !== undefined && { notify }),
    ...named,
  };
}
