import { describe, expect, it } from 'vitest';
import { expired, expiringWithin, isActive } from '../lambda/suppressions';

// When a suppression hides its finding, when the CLI warns that it lapsed, and when the nightly
// digest warns that it is about to.

const on = (expires: string) => ({ expires });
const at = (iso: string) => new Date(iso);

describe('a suppression', () => {
  it('with a date-only expiry still applies all through its last day (UTC)', () => {
    expect(isActive(on('2026-11-28'), at('2026-11-28T00:00:00Z'))).toBe(true);
    expect(isActive(on('2026-11-28'), at('2026-11-28T23:59:59.999Z'))).toBe(true);
    expect(isActive(on('2026-11-28'), at('2026-11-29T00:00:00Z'))).toBe(false);
  });

  it('with a timestamp expires at that moment', () => {
    expect(isActive(on('2026-11-28T12:00:00Z'), at('2026-11-28T11:59:59Z'))).toBe(true);
    expect(isActive(on('2026-11-28T12:00:00Z'), at('2026-11-28T12:00:01Z'))).toBe(false);
  });

  it('that expired is listed so the CLI can warn it hides nothing any more', () => {
    const list = [on('2026-01-01'), on('2027-01-31')];
    expect(expired(list, at('2026-11-28T02:00:00Z'))).toEqual([on('2026-01-01')]);
  });
});

describe('suppressions expiring within the notice window', () => {
  const nightly = at('2026-11-28T02:00:00Z');

  it('include one on its last day, since it still hides its finding', () => {
    expect(expiringWithin([on('2026-11-28')], nightly, 14)).toEqual([on('2026-11-28')]);
  });

  it('include one whose date is the last of the window, and none beyond it', () => {
    expect(expiringWithin([on('2026-12-12'), on('2026-12-13')], nightly, 14)).toEqual([on('2026-12-12')]);
  });

  it('leave out one that already lapsed', () => {
    expect(expiringWithin([on('2026-11-27'), on('2026-11-28T01:00:00Z')], nightly, 14)).toEqual([]);
  });
});
