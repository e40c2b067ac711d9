import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, loadConfigFile, parseConfig } from '../lambda/config';
import { ConfigError } from '../lambda/errors';

function problemsOf(value: unknown): string[] {
  try {
    parseConfig(value, 'test.json');
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('expected the config to be refused');
}

describe('config', () => {
  it('uses the documented defaults when no config is given', () => {
    expect(DEFAULT_CONFIG.serviceAccounts).toEqual({
      groups: ['Service Accounts'],
      userTypes: ['service'],
      loginPatterns: ['^(svc|service)[-_.]'],
      userIds: [],
    });
    expect(DEFAULT_CONFIG.lookbackDays).toBe(90);
    expect(DEFAULT_CONFIG.expiryWarningDays).toBe(7);
    expect(DEFAULT_CONFIG.notify).toBe('changes');
    expect(DEFAULT_CONFIG.suppressions).toEqual([]);
  });

  it('keeps the defaults of a section it only partly overrides', () => {
    const config = parseConfig({ serviceAccounts: { groups: ['Robots'] } });
    expect(config.serviceAccounts.groups).toEqual(['Robots']);
    expect(config.serviceAccounts.loginPatterns).toEqual(['^(svc|service)[-_.]']);
  });

  it('is frozen, so nothing downstream can change it', () => {
    const config = parseConfig({ suppressions: [] });
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.serviceAccounts.groups)).toBe(true);
  });

  it('lists every problem at once: unknown keys, bad regex, missing reason and expiry, out-of-range window', () => {
    const problems = problemsOf({
      serviceAcounts: {},
      lookbackDays: 120,
      notify: 'sometimes',
      serviceAccounts: { loginPatterns: ['^svc[', 'ok'] },
      suppressions: [{ ruleId: 'api-token-owner-is-human', resourceId: '00T1', reason: ' ' }],
    });
    const text = problems.join('\n');
    expect(text).toContain('unknown key "serviceAcounts"');
    expect(text).toContain('lookbackDays');
    expect(text).toContain('notify');
    expect(text).toContain('serviceAccounts.loginPatterns.0: is not a valid JavaScript regular expression');
    expect(text).toContain('suppressions.0.reason: a reason is required');
    expect(text).toContain('suppressions.0.expires');
    expect(problems.length).toBeGreaterThanOrEqual(6);
  });

  it('leaves the leaver and inactivity rules off by default, and calls out more than 10 integrations', () => {
    expect(DEFAULT_CONFIG.leavers).toBeUndefined();
    expect(DEFAULT_CONFIG.inactivitySuspendDays).toBeUndefined();
    expect(DEFAULT_CONFIG.concentrationThreshold).toBe(10);
  });

  it('takes any of the leavers settings, with 30 warning days by default (issue 14)', () => {
    expect(parseConfig({ leavers: { groups: ['Leavers'] } }).leavers).toEqual({ groups: ['Leavers'], warningDays: 30 });
    expect(parseConfig({ leavers: { dateAttribute: 'terminationDate' } }).leavers).toEqual({
      groups: [],
      dateAttribute: 'terminationDate',
      warningDays: 30,
    });
  });

  it('lists every problem of the leavers, inactivity and concentration settings (issue 14)', () => {
    const problems = problemsOf({
      leavers: { groups: 'Leavers', dateAtribute: 'terminationDate', warningDays: -1 },
      inactivitySuspendDays: 0,
      concentrationThreshold: 2.5,
    });
    const text = problems.join('\n');
    expect(text).toContain('leavers: unknown key "dateAtribute"');
    expect(text).toContain('leavers.groups');
    expect(text).toContain('leavers.warningDays');
    expect(text).toContain('inactivitySuspendDays');
    expect(text).toContain('concentrationThreshold');
  });

  it('refuses warning of inactivity as long before suspension as the policy allows (issue 14)', () => {
    expect(problemsOf({ inactivitySuspendDays: 35, leavers: { warningDays: 35 } })).toEqual([
      'inactivitySuspendDays: must be more than leavers.warningDays (35), or every owner would be warned of',
    ]);
    expect(problemsOf({ inactivitySuspendDays: 20 })).toEqual([
      'inactivitySuspendDays: must be more than leavers.warningDays (30), or every owner would be warned of',
    ]);
  });

  it('names the file and says what is wrong with JSON it cannot parse', () => {
    const dir = mkdtempSync(join(tmpdir(), 'okta-scan-config-'));
    const path = join(dir, 'config.json');
    writeFileSync(path, '{ "lookbackDays": 30, }');
    expect(() => loadConfigFile(path)).toThrow(
      new RegExp(`Config file ${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is not valid JSON`),
    );
    expect(() => loadConfigFile(join(dir, 'missing.json'))).toThrow(/Cannot read config file .*ENOENT/);
  });

  it('reads a valid config file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'okta-scan-config-'));
    const path = join(dir, 'config.json');
    writeFileSync(path, JSON.stringify({ lookbackDays: 30, notify: 'always' }));
    const config = loadConfigFile(path);
    expect(config.lookbackDays).toBe(30);
    expect(config.notify).toBe('always');
  });
});
