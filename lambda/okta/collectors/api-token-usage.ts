import type { ApiToken, ApiTokenUsage } from '../../domain/inventory';
import type { OktaClient } from '../client';
import { type LocalFilter, type LogWindow, queryLogAs } from '../system-log';
import { byFrequency, countTypes, type UsageEvent, usageEvent } from '../usage-events';

// What each listed API token did in the log window. Okta documents
// `transaction.detail.requestApiTokenId eq "00T…"` as a log filter (docs/okta-facts.md#api-tokens),
// so the ids go to Okta in `or` batches: one bounded query per batch instead of one per token
// (README "How frugal with Okta" has the measurement). Okta does not publish how many clauses
// a filter may hold; batches stay as small as the user search's.
export const TOKEN_USAGE_BATCH_SIZE = 20;

/**
 * What an incremental read's shared query adds for token usage: every event an API token made
 * (`pr` is "present (has value)" among the operators https://developer.okta.com/docs/api/#operators
 * lists, and the System Log's filter takes all but `[ ]`), each batch then taking its tokens here.
 */
export const TOKEN_USAGE_CLAUSE = 'transaction.detail.requestApiTokenId pr';

function batchFilter(tokenIds: readonly string[]): LocalFilter<UsageEvent> {
  const ids = new Set(tokenIds);
  return {
    eventTypes: [],
    clauses: [TOKEN_USAGE_CLAUSE],
    matches: (event) => event.apiTokenId !== null && ids.has(event.apiTokenId),
  };
}

export function tokenUsageFilter(tokenIds: readonly string[]): string {
  return tokenIds.map((id) => `transaction.detail.requestApiTokenId eq "${id}"`).join(' or ');
}

/** Token id -> its usage; a token with no event in the window gets none. */
export function usageByToken(events: readonly UsageEvent[]): Record<string, ApiTokenUsage> {
  const byToken = new Map<string, UsageEvent[]>();
  for (const event of events) {
    if (!event.apiTokenId) continue;
    const list = byToken.get(event.apiTokenId) ?? [];
    list.push(event);
    byToken.set(event.apiTokenId, list);
  }
  const usage: Record<string, ApiTokenUsage> = {};
  for (const [tokenId, tokenEvents] of [...byToken].sort((a, b) => a[0].localeCompare(b[0]))) {
    const published = tokenEvents.map((e) => e.published).sort();
    usage[tokenId] = {
      eventCount: tokenEvents.length,
      eventTypes: countTypes(tokenEvents),
      ipAddresses: byFrequency(tokenEvents.map((e) => e.ipAddress)),
      userAgents: byFrequency(tokenEvents.map((e) => e.userAgent)),
      firstEventAt: published[0] ?? null,
      lastEventAt: published.at(-1) ?? null,
    };
  }
  return usage;
}

/** The events the listed tokens made in the window, read in batches of token ids. */
export async function readApiTokenUsageEvents(
  client: OktaClient,
  tokens: readonly ApiToken[],
  window: LogWindow,
): Promise<UsageEvent[]> {
  // Sorted: a batch's filter (its URL) then depends on the ids alone, not on the list's order.
  const ids = [...new Set(tokens.map((token) => token.id).filter(Boolean))].sort();
  const batches: string[][] = [];
  for (let i = 0; i < ids.length; i += TOKEN_USAGE_BATCH_SIZE) batches.push(ids.slice(i, i + TOKEN_USAGE_BATCH_SIZE));
  const events = await Promise.all(
    batches.map((batch) =>
      queryLogAs(client, window, tokenUsageFilter(batch), 'API token usage events', usageEvent, batchFilter(batch)),
    ),
  );
  return events.flat();
}

export async function collectApiTokenUsage(
  client: OktaClient,
  tokens: readonly ApiToken[],
  window: LogWindow,
): Promise<Record<string, ApiTokenUsage>> {
  return usageByToken(await readApiTokenUsageEvents(client, tokens, window));
}
