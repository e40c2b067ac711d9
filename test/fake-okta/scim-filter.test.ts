import { describe, expect, it } from 'vitest';
import { eqAnyMatcher, FilterSyntaxError, matchesFilter, parseFilter } from '../../fake-okta/scim-filter';

const matches = (filter: string, obj: unknown): boolean => matchesFilter(parseFilter(filter), obj);

describe('SCIM filter subset', () => {
  const event = {
    eventType: 'workflows.user.connection.create',
    outcome: { result: 'SUCCESS' },
    target: [
      { id: '00u1', type: 'User' },
      { id: 'okta', type: 'AppInstance' },
    ],
  };

  it('binds and tighter than or', () => {
    expect(matches('eventType eq "nope" and outcome.result eq "SUCCESS" or target.id eq "okta"', event)).toBe(true);
    expect(matches('eventType eq "nope" and (outcome.result eq "SUCCESS" or target.id eq "okta")', event)).toBe(false);
  });

  it('compares strings without regard to case, as Okta does', () => {
    expect(matches('outcome.result eq "success"', event)).toBe(true);
    expect(matches('eventType SW "Workflows.user"', event)).toBe(true);
  });

  it('matches any element of an array on the path', () => {
    expect(matches('target.id eq "okta"', event)).toBe(true);
    expect(matches('target.type eq "Token"', event)).toBe(false);
  });

  it('supports pr, co, not and quoted strings with escapes', () => {
    expect(matches('outcome.reason pr', event)).toBe(false);
    expect(matches('eventType co "connection"', event)).toBe(true);
    expect(matches('not (eventType eq "x")', event)).toBe(true);
    expect(matches('name eq "say \\"hi\\""', { name: 'say "hi"' })).toBe(true);
  });

  it('rejects malformed filters', () => {
    for (const bad of ['', 'a eq', 'a eq b', '(a eq "b"', 'a eq "b" c', 'a foo "b"', 'a eq "b']) {
      expect(() => parseFilter(bad), bad).toThrow(FilterSyntaxError);
    }
  });
});

describe('eqAnyMatcher (the fast path for `a eq "x" or a eq "y"`)', () => {
  const events = [
    { transaction: { detail: { requestApiTokenId: '00TaAa' } } },
    { transaction: { detail: { requestApiTokenId: '00Tbbb' } } },
    { transaction: { detail: {} } },
    { transaction: null },
    {},
  ];

  it('matches exactly what matchesFilter matches, ignoring case as Okta does', () => {
    const expr = parseFilter(
      'transaction.detail.requestApiTokenId eq "00Taaa" or transaction.detail.requestApiTokenId eq "00Tccc"',
    );
    const fast = eqAnyMatcher(expr);
    expect(fast).not.toBeNull();
    expect(events.map((e) => fast?.(e))).toEqual(events.map((e) => matchesFilter(expr, e)));
    expect(events.map((e) => fast?.(e))).toEqual([true, false, false, false, false]);
  });

  it('is null for any other filter shape, so the general matcher answers', () => {
    for (const filter of [
      'eventType eq "a" or target.id eq "b"',
      'eventType eq "a" and eventType eq "b"',
      'eventType co "a"',
      'not (eventType eq "a")',
    ]) {
      expect(eqAnyMatcher(parseFilter(filter))).toBeNull();
    }
  });
});
