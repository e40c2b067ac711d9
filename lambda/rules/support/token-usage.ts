// What an API token was used for: its last use and its activity in the System Log window.

import type { ApiToken, ApiTokenUsage, Inventory } from '../../domain/inventory';

const DAY_MS = 86_400_000;

/**
 * Days in a token window such as `P30D`. Okta renews a token for this long at each use, so
 * `expiresAt` minus the window is the last use (docs/okta-facts.md#api-tokens).
 */
export function windowDays(tokenWindow: string | null): number | null {
  const match = /^P(\d+)D$/.exec(tokenWindow ?? '');
  return match ? Number(match[1]) : null;
}

/** The token's activity in the window; null when it was not read (the log could not be, or was not asked). */
export function usageOf(inventory: Inventory, token: ApiToken): ApiTokenUsage | null {
  if (inventory.sources.apiTokenUsage?.status !== 'complete') return null;
  return (
    inventory.apiTokenUsage?.[token.id] ?? {
      eventCount: 0,
      eventTypes: {},
      ipAddresses: [],
      userAgents: [],
      firstEventAt: null,
      lastEventAt: null,
    }
  );
}

/** The last use: from the expiry and window, and from the last logged event, whichever is later. */
export function lastTokenUse(token: ApiToken, usage: ApiTokenUsage | null): string | null {
  const days = windowDays(token.tokenWindow);
  const expires = token.expiresAt === null ? Number.NaN : Date.parse(token.expiresAt);
  const fromExpiry = days !== null && !Number.isNaN(expires) ? expires - days * DAY_MS : Number.NaN;
  const fromEvents = usage?.lastEventAt ? Date.parse(usage.lastEventAt) : Number.NaN;
  const latest = Math.max(...[fromExpiry, fromEvents].filter((t) => !Number.isNaN(t)));
  return Number.isFinite(latest) ? new Date(latest).toISOString() : null;
}

/** Evidence every token row carries about its use. */
export function usageEvidence(inventory: Inventory, token: ApiToken): Record<string, unknown> {
  const usage = usageOf(inventory, token);
  return {
    lastUsedAt: lastTokenUse(token, usage),
    usage: usage && {
      changesInWindow: usage.eventCount,
      eventTypes: usage.eventTypes,
      ipAddresses: usage.ipAddresses,
      userAgents: usage.userAgents,
      lastEventAt: usage.lastEventAt,
    },
  };
}

/**
 * "calling from 10.1.2.3 with Terraform/1.9 that made 1,240 changes in 30 days", or null when
 * the token made no logged change (reads are not logged) or its activity was not read.
 */
export function usagePhrase(usage: ApiTokenUsage | null, windowDays: number): string | null {
  if (!usage || usage.eventCount === 0) return null;
  const more = (list: string[]): string => (list.length > 1 ? ` (and ${list.length - 1} more)` : '');
  const from = usage.ipAddresses[0] ? ` calling from ${usage.ipAddresses[0]}${more(usage.ipAddresses)}` : '';
  const agent = usage.userAgents[0] ? ` with ${usage.userAgents[0]}${more(usage.userAgents)}` : '';
  const count = usage.eventCount.toLocaleString('en-US');
  return `${from}${agent} that made ${count} change${usage.eventCount === 1 ? '' : 's'} in ${windowDays} days`.trim();
}
