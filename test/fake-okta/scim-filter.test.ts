import { describe, expect, it } from 'vitest';
import { FilterSyntaxError, matchesFilter, parseFilter } from '../../fake-okta/scim-filter';

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
