import type { UsageEvent } from '../domain/inventory';
import { obj, type Plain, str } from './sdk-values';
import { summarizeEvent } from './system-log';

// A System Log event reduced to what usage evidence needs (UsageEvent in the domain).

export type { UsageEvent };

export function usageEvent(event: Plain): UsageEvent {
  const { uuid, published, eventType, actor } = summarizeEvent(event);
  const client = obj(event.client);
  const detail = obj(obj(event.transaction)?.detail);
  return {
    uuid,
    published,
    eventType,
    actor,
    ipAddress: str(client?.ipAddress),
    userAgent: str(obj(client?.userAgent)?.rawUserAgent),
    apiTokenId: str(detail?.requestApiTokenId),
  };
}

/** Counts per value, most frequent first (ties by value, so reports are stable). */
export function byFrequency(values: readonly (string | null)[]): string[] {
  const counts = new Map<string, number>();
  for (const value of values) if (value) counts.set(value, (counts.get(value) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([value]) => value);
}

/** Event type -> count, keys sorted. */
export function countTypes(events: readonly UsageEvent[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const type of events.map((e) => e.eventType).sort()) counts[type] = (counts[type] ?? 0) + 1;
  return counts;
}
