import { describe, expect, it } from 'vitest';
import type { LogEventSummary } from '../../lambda/domain/inventory';
import {
  cursorAfter,
  type LedgerEntry,
  LOG_OVERLAP_MS,
  laterCursor,
  logReadSince,
  mergeLedger,
  streamEvents,
} from '../../lambda/domain/ledger';

const WINDOW = { since: '2026-08-29T02:00:00.000Z', until: '2026-11-27T02:00:00.000Z' };

function event(uuid: string, published: string): LogEventSummary {
  return {
    uuid,
    published,
    eventType: 'system.api_token.create',
    outcome: { result: 'SUCCESS', reason: null },
    actor: null,
    target: [],
  };
}

function entry(uuid: string, published: string): LedgerEntry {
  return {
    stream: 'apiTokenCreations',
    uuid,
    integration: '00T1',
    account: null,
    eventType: 'system.api_token.create',
    published,
    event: event(uuid, published),
  };
}

describe('where a scan starts reading the System Log', () => {
  it('reads the whole window on a first scan', () => {
    expect(logReadSince(null, WINDOW)).toBe(WINDOW.since);
  });

  it('reads from the last complete read, less a small overlap for events Okta indexed late', () => {
    const cursor = { since: '2026-01-01T00:00:00.000Z', until: '2026-11-26T02:00:00.000Z' };
    expect(Date.parse(WINDOW.until) - Date.parse(logReadSince(cursor, WINDOW))).toBe(86_400_000 + LOG_OVERLAP_MS);
  });

  it('reads the whole window after a gap longer than the lookback, or when the cursor is ahead of the scan', () => {
    expect(logReadSince({ since: '2026-01-01T00:00:00.000Z', until: '2026-08-01T00:00:00.000Z' }, WINDOW)).toBe(
      WINDOW.since,
    );
    expect(logReadSince({ since: '2026-01-01T00:00:00.000Z', until: '2026-12-01T00:00:00.000Z' }, WINDOW)).toBe(
      WINDOW.since,
    );
  });

  it('never moves the cursor back', () => {
    expect(
      laterCursor(
        { since: '2026-01-01T00:00:00.000Z', until: '2026-11-27T00:00:00.000Z' },
        { since: '2026-01-01T00:00:00.000Z', until: '2026-11-01T00:00:00.000Z' },
      ),
    ).toEqual({
      since: '2026-01-01T00:00:00.000Z',
      until: '2026-11-27T00:00:00.000Z',
    });
    expect(laterCursor(null, { since: '2026-01-01T00:00:00.000Z', until: '2026-11-01T00:00:00.000Z' })).toEqual({
      since: '2026-01-01T00:00:00.000Z',
      until: '2026-11-01T00:00:00.000Z',
    });
  });
});

describe('merging the ledger', () => {
  it('is idempotent: the same event seen by two scans is one entry', () => {
    const a = entry('a', '2026-09-01T00:00:00.000Z');
    const b = entry('b', '2026-08-01T00:00:00.000Z');
    const once = mergeLedger([a], [b]);
    expect(mergeLedger(once, [a, b])).toEqual(once);
    expect(once.map((e) => e.uuid)).toEqual(['b', 'a']);
  });

  it('replays ledger and fresh events together, each once, oldest first', () => {
    const events = streamEvents(
      [entry('old', '2026-01-01T00:00:00.000Z'), entry('overlap', '2026-11-26T01:55:00.000Z')],
      'apiTokenCreations',
      [event('overlap', '2026-11-26T01:55:00.000Z'), event('new', '2026-11-26T12:00:00.000Z')],
    );
    expect(events.map((e) => e.uuid)).toEqual(['old', 'overlap', 'new']);
    expect(streamEvents([entry('old', '2026-01-01T00:00:00.000Z')], 'workflows', [])).toEqual([]);
  });
});

describe('the stretch of log the ledger holds', () => {
  it('grows with each incremental read and starts again with a whole-window read', () => {
    const first = cursorAfter(null, WINDOW.since, WINDOW);
    expect(first).toEqual(WINDOW);
    const next = { since: '2026-08-30T02:00:00.000Z', until: '2026-11-28T02:00:00.000Z' };
    expect(cursorAfter(first, logReadSince(first, next), next)).toEqual({ since: WINDOW.since, until: next.until });
  });

  it('reads the whole window when the ledger does not reach back to its start (a longer lookback than before)', () => {
    const held = { since: '2026-10-28T02:00:00.000Z', until: '2026-11-26T02:00:00.000Z' };
    expect(logReadSince(held, WINDOW)).toBe(WINDOW.since);
  });
});
