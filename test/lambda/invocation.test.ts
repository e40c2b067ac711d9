import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../lambda/errors';
import { parseInvocation } from '../../lambda/invocation';
import { validateRuleIds } from '../../lambda/scan';
import { SCHEDULED_EVENT } from '../support/lambda-events';

// The invocation payload (docs/report-schema.md#the-lambda): what is accepted, and how a payload
// that does not fit is refused.

function problemsOf(event: unknown): string[] {
  try {
    parseInvocation(event, validateRuleIds);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('the payload was accepted');
}

describe('parseInvocation accepts', () => {
  it('a scheduled EventBridge event as a full scan that records and notifies', () => {
    expect(parseInvocation(SCHEDULED_EVENT, validateRuleIds)).toStrictEqual({
      kind: 'scheduled',
      mode: 'scan',
      dryRun: false,
    });
  });

  it('an empty payload, or none, as a full ad-hoc scan', () => {
    const fullScan = { kind: 'adHoc', mode: 'scan', dryRun: false };
    expect(parseInvocation({}, validateRuleIds)).toEqual(fullScan);
    expect(parseInvocation(null, validateRuleIds)).toEqual(fullScan);
    expect(parseInvocation(undefined, validateRuleIds)).toEqual(fullScan);
  });

  it('a dry run of chosen rules without a notification', () => {
    expect(
      parseInvocation(
        { mode: 'scan', dryRun: true, rules: ['api-token-owner-is-human'], notify: false },
        validateRuleIds,
      ),
    ).toEqual({ kind: 'adHoc', mode: 'scan', dryRun: true, rules: ['api-token-owner-is-human'], notify: false });
  });

  it('a what-if for a user, by login or id, without the spaces around it', () => {
    expect(parseInvocation({ mode: 'whatif', user: ' bob@acme.com ' }, validateRuleIds)).toStrictEqual({
      kind: 'adHoc',
      mode: 'whatif',
      user: 'bob@acme.com',
    });
  });

  it('the people view', () => {
    expect(parseInvocation({ mode: 'people' }, validateRuleIds)).toStrictEqual({ kind: 'adHoc', mode: 'people' });
  });

  it('an Okta account-stopping event from the configured partner source, whether Okta names the user as target or, for a lock-out, as actor', () => {
    const source = 'aws.partner/okta.com/acme/okta-scan';
    const detail = {
      uuid: 'u-1',
      published: '2026-11-29T14:02:11.402Z',
      eventType: 'user.account.lock',
      actor: { id: '00uJulia', type: 'User', alternateId: 'julia.chen@acme.com' },
      outcome: { result: 'FAILURE', reason: 'LOCKED_OUT' },
    };
    expect(
      parseInvocation({ source, 'detail-type': 'SystemLog', detail }, undefined, { oktaEventSource: source }),
    ).toEqual({
      kind: 'oktaEvent',
      mode: 'ownerStopped',
      event: {
        uuid: 'u-1',
        eventType: 'user.account.lock',
        published: '2026-11-29T14:02:11.402Z',
        account: { id: '00uJulia', login: 'julia.chen@acme.com' },
      },
      stopped: true,
    });
  });
});

describe('parseInvocation refuses, naming each problem', () => {
  it('values of the wrong type, one line per key', () => {
    const problems = problemsOf({ mode: 'audit', dryRun: 'yes', notify: 1, rules: 'api-token-owner-is-human' });
    expect(problems.map((p) => p.split(':')[0]).sort()).toEqual(['dryRun', 'mode', 'notify', 'rules']);
  });

  it('keys it does not know, by name', () => {
    expect(problemsOf({ dryrun: true, colour: 'red' })).toEqual(['(top level): unknown keys "dryrun", "colour"']);
  });

  it('unknown rule ids, each with the valid ones', () => {
    const problems = problemsOf({ rules: ['api-token-owner-is-human', 'no-such-rule', 'nor-this'] });
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/^rules: "no-such-rule" is not a rule; valid ids: .*api-token-owner-is-human/);
    expect(problems[1]).toMatch(/^rules: "nor-this" is not a rule/);
  });

  it('unknown rule ids together with the other problems of the payload', () => {
    const problems = problemsOf({ dryRun: 'yes', rules: ['no-such-rule'] });
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/^dryRun: /);
    expect(problems[1]).toMatch(/^rules: "no-such-rule" is not a rule/);
  });

  it('an empty rule list or an empty rule id', () => {
    expect(problemsOf({ rules: [] })).toEqual(['rules: give at least one rule id, or leave rules out']);
    expect(problemsOf({ rules: [''] })).toHaveLength(1);
  });

  it('a what-if without the user to deactivate', () => {
    expect(problemsOf({ mode: 'whatif' })).toEqual([
      'user: what-if needs the user to deactivate, e.g. {"mode":"whatif","user":"alice@acme.com"}',
    ]);
    expect(problemsOf({ mode: 'whatif', user: '   ' })).toHaveLength(1);
  });

  it('a user given to a scan, and rules or notify given to a what-if, which would be ignored', () => {
    expect(problemsOf({ user: 'bob@acme.com' })).toEqual(['user: only used with "mode":"whatif"']);
    expect(
      problemsOf({ mode: 'whatif', user: 'bob@acme.com', rules: ['api-token-owner-is-human'], notify: true }),
    ).toEqual(['rules: only used with "mode":"scan"', 'notify: only used with "mode":"scan"']);
  });

  it('keys a people view would ignore: it records and notifies nothing, and reads every rule', () => {
    expect(problemsOf({ mode: 'people', user: 'bob@acme.com', dryRun: true })).toEqual([
      'user: not used with "mode":"people" (it records and notifies nothing)',
      'dryRun: not used with "mode":"people" (it records and notifies nothing)',
    ]);
  });

  it('a payload that is not an object', () => {
    for (const payload of ['scan', ['scan'], 42, true]) {
      const problems = problemsOf(payload);
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(/^\(top level\): .*expected object/);
    }
  });

  it('an EventBridge event that is not the schedule', () => {
    const problems = problemsOf({ ...SCHEDULED_EVENT, 'detail-type': 'Object Created', source: 'aws.s3' });
    expect(problems[0]).toMatch(/^\(top level\): unknown keys "version", "id", "detail-type", "source"/);
  });

  it('with a message that says what a payload should look like', () => {
    expect(() => parseInvocation({ colour: 'red' })).toThrow(
      /^Invalid invocation payload \(expected a scheduled EventBridge event or \{"mode"\?, "user"\?, "dryRun"\?, "rules"\?, "notify"\?, "org"\?\}\):\n {2}- /,
    );
  });
});
