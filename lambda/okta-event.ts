import { z } from 'zod';
import { describeIssues } from './config';
import { ACCOUNT_STOP_EVENT_TYPES, type AccountStopEvent, type StoppedAccount } from './domain/account-stop-events';

// The Okta System Log event as EventBridge delivers it from Okta's partner event source: an
// EventBridge envelope whose `source` is the partner event source name
// (aws.partner/okta.com/<org>/<name>) and whose `detail` is the Okta LogEvent
// (https://developer.okta.com/docs/api/openapi/okta-management/management/tag/SystemLog/).
// Checked here before any work; what does not fit is listed, field by field.

const logEntitySchema = z.looseObject({
  id: z.string().min(1, 'must be the Okta id'),
  type: z.string(),
  alternateId: z.string().nullish(),
});

const logEventSchema = z.looseObject({
  uuid: z.string().min(1, 'must be the LogEvent uuid'),
  published: z.iso.datetime({ offset: true, message: 'must be an ISO-8601 time, e.g. 2026-11-29T14:02:11.000Z' }),
  eventType: z.enum(ACCOUNT_STOP_EVENT_TYPES, {
    message: `must be one of ${ACCOUNT_STOP_EVENT_TYPES.join(', ')} (the EventBridge rule forwards only these)`,
  }),
  actor: logEntitySchema.nullish(),
  target: z.array(logEntitySchema).nullish(),
  outcome: z.looseObject({ result: z.string() }).nullish(),
});

const partnerEventSchema = z.looseObject({
  source: z.string(),
  'detail-type': z.string().optional(),
  detail: logEventSchema,
});

/** What the Lambda does with one partner event. */
export interface OwnerEventRequest {
  kind: 'oktaEvent';
  mode: 'ownerStopped';
  event: AccountStopEvent;
  /**
   * False when the LogEvent says the change did not happen (an admin's deactivation that failed):
   * the account still works, so nothing is announced. A lock-out is itself the failure Okta logs.
   */
  stopped: boolean;
}

/** An EventBridge event from a SaaS partner: the Okta event path (any other event is refused as a payload). */
export function looksLikePartnerEvent(event: unknown): boolean {
  if (!event || typeof event !== 'object') return false;
  const { source } = event as { source?: unknown };
  return typeof source === 'string' && source.startsWith('aws.partner/');
}

type LogEvent = z.output<typeof logEventSchema>;

/** The account the event is about: its User target; a lock-out names the locked user as the actor only. */
function stoppedAccount(detail: LogEvent): StoppedAccount | null {
  const user =
    detail.target?.find((t) => t.type === 'User') ??
    (detail.eventType === 'user.account.lock' && detail.actor?.type === 'User' ? detail.actor : undefined);
  return user ? { id: user.id, login: user.alternateId ?? null } : null;
}

function sourceProblems(source: string, configured: string | undefined): string[] {
  if (!configured) {
    return [
      'source: this function takes no Okta events (deploy with -c oktaEventSource=aws.partner/okta.com/<org>/<name>)',
    ];
  }
  return source === configured ? [] : [`source: "${source}" is not the configured Okta event source "${configured}"`];
}

/** Validates a partner event; returns the request, or the list of problems (nothing done). */
export function parseOktaEvent(
  event: unknown,
  configuredSource: string | undefined,
): { request: OwnerEventRequest } | { problems: string[] } {
  const parsed = partnerEventSchema.safeParse(event);
  if (!parsed.success) {
    const source = (event as { source?: unknown }).source;
    const extra = typeof source === 'string' ? sourceProblems(source, configuredSource) : [];
    return { problems: [...extra, ...describeIssues(parsed.error)] };
  }
  const { source, detail } = parsed.data;
  const problems = sourceProblems(source, configuredSource);
  const account = stoppedAccount(detail);
  if (!account) problems.push('detail.target: no User target (the account the event stopped)');
  if (problems.length > 0 || !account) return { problems };
  const result = detail.outcome?.result;
  return {
    request: {
      kind: 'oktaEvent',
      mode: 'ownerStopped',
      event: { uuid: detail.uuid, eventType: detail.eventType, published: detail.published, account },
      stopped: detail.eventType === 'user.account.lock' || result === undefined || result === 'SUCCESS',
    },
  };
}
