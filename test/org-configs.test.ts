import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, parseConfig } from '../lambda/config';
import { ConfigError } from '../lambda/errors';
import { DEFAULT_ORG_NAME, resolveOrgs } from '../lambda/org-configs';

const STACK_SECRET = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:okta/scanner-AbC123';
const ACME_EU_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:okta/acme-eu';

function problemsOf(value: unknown): string[] {
  try {
    parseConfig(value, 'test.json');
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('expected the config to be refused');
}

describe('orgs in config', () => {
  it('scans five orgs side by side unless maxConcurrentOrgs says otherwise (1 to 40)', () => {
    expect(DEFAULT_CONFIG.maxConcurrentOrgs).toBe(5);
    expect(parseConfig({ maxConcurrentOrgs: 12 }).maxConcurrentOrgs).toBe(12);
    expect(problemsOf({ maxConcurrentOrgs: 0 }).join('\n')).toContain('maxConcurrentOrgs');
    expect(problemsOf({ maxConcurrentOrgs: 41 }).join('\n')).toContain('maxConcurrentOrgs');
    expect(problemsOf({ maxConcurrentOrgs: 2.5 }).join('\n')).toContain('maxConcurrentOrgs');
  });

  it('without orgs, resolves one org named default on the stack secret with the whole config', () => {
    const config = parseConfig({ lookbackDays: 30 });
    const [org, ...others] = resolveOrgs(config, STACK_SECRET);
    expect(others).toEqual([]);
    expect(org.name).toBe(DEFAULT_ORG_NAME);
    expect(org.secret).toBe(STACK_SECRET);
    expect(org.config.lookbackDays).toBe(30);
    expect(Object.isFrozen(org.config)).toBe(true);
  });

  it("merges each org's overrides over the base config key by key, leaving the other orgs alone", () => {
    const config = parseConfig({
      lookbackDays: 60,
      notify: 'always',
      suppressions: [
        { ruleId: 'api-token-owner-is-human', resourceId: '00T1', reason: 'migrating', expires: '2027-01-31' },
      ],
      orgs: [
        {
          name: 'acme-prod',
          secret: 'okta-scanner/acme-prod',
          config: { serviceAccounts: { groups: ['Robots'] }, suppressions: [] },
        },
        { name: 'acme-eu', secret: ACME_EU_ARN },
      ],
    });
    const [prod, eu] = resolveOrgs(config, STACK_SECRET);
    expect([prod.name, prod.secret, eu.name, eu.secret]).toEqual([
      'acme-prod',
      'okta-scanner/acme-prod',
      'acme-eu',
      ACME_EU_ARN,
    ]);
    // Named by the org: replaced (a section's own defaults fill what it leaves out).
    expect(prod.config.serviceAccounts.groups).toEqual(['Robots']);
    expect(prod.config.serviceAccounts.loginPatterns).toEqual(DEFAULT_CONFIG.serviceAccounts.loginPatterns);
    expect(prod.config.suppressions).toEqual([]);
    // Not named: the base's, not the defaults.
    expect([prod.config.lookbackDays, prod.config.notify]).toEqual([60, 'always']);
    expect(eu.config.serviceAccounts).toEqual(DEFAULT_CONFIG.serviceAccounts);
    expect(eu.config.suppressions).toHaveLength(1);
    expect(Object.isFrozen(prod.config)).toBe(true);
    expect(prod.config.orgs).toBeUndefined();
  });

  it('refuses a name that is not lowercase letters, digits and dashes, naming the field', () => {
    for (const name of ['Acme', '-acme', 'acme prod', '', 'a'.repeat(64)]) {
      expect(problemsOf({ orgs: [{ name, secret: 's' }] }).join('\n')).toContain('orgs.0.name: must be 1 to 63');
    }
  });

  it('refuses two orgs of the same name', () => {
    const problems = problemsOf({
      orgs: [
        { name: 'acme-prod', secret: 'a' },
        { name: 'acme-prod', secret: 'b' },
      ],
    });
    expect(problems).toEqual(['orgs.1.name: "acme-prod" is configured twice']);
  });

  it('refuses unknown keys in an org and in its config', () => {
    const text = problemsOf({
      orgs: [{ name: 'acme', secret: 's', secretArn: 'x', config: { lookbakDays: 3 } }],
    }).join('\n');
    expect(text).toContain('orgs.0: unknown key "secretArn"');
    expect(text).toContain('orgs.0.config: unknown key "lookbakDays"');
  });

  it('refuses a deployment-wide key in an org config and says where it goes', () => {
    const problems = problemsOf({
      orgs: [
        {
          name: 'acme',
          secret: 's',
          config: { historyRetentionDays: 30, securityHub: true, maxConcurrentOrgs: 2, orgs: [] },
        },
      ],
    });
    for (const key of ['historyRetentionDays', 'securityHub', 'maxConcurrentOrgs', 'orgs']) {
      expect(problems).toContain(
        `orgs.0.config.${key}: is deployment-wide: set it at the top level of the config, not per org`,
      );
    }
  });

  it('checks the values an org overrides like the base config', () => {
    const text = problemsOf({
      orgs: [{ name: 'acme', secret: 's', config: { lookbackDays: 365, notify: 'never' } }],
    }).join('\n');
    expect(text).toContain('orgs.0.config.lookbackDays');
    expect(text).toContain('orgs.0.config.notify');
  });

  it("refuses an org whose overrides break a rule of the merged config (inactivity under the base's warning)", () => {
    const problems = problemsOf({
      leavers: { groups: ['Leavers'], warningDays: 30 },
      orgs: [{ name: 'acme', secret: 's', config: { inactivitySuspendDays: 20 } }],
    });
    expect(problems).toEqual([
      'orgs.0.config.inactivitySuspendDays: must be more than leavers.warningDays (30), or every owner would be warned of',
    ]);
  });

  it('takes a secret name or an ARN with or without the suffix, and refuses a malformed ARN or name', () => {
    for (const secret of ['okta/acme-prod', ACME_EU_ARN, `${ACME_EU_ARN}-AbC123`]) {
      expect(parseConfig({ orgs: [{ name: 'acme', secret }] }).orgs?.[0].secret).toBe(secret);
    }
    expect(problemsOf({ orgs: [{ name: 'acme', secret: 'arn:aws:secretsmanager:us-east-1:secret:x' }] })).toEqual([
      'orgs.0.secret: is not a Secrets Manager secret ARN (arn:aws:secretsmanager:<region>:<account>:secret:<name>-<6 characters>)',
    ]);
    expect(problemsOf({ orgs: [{ name: 'acme', secret: 'okta acme' }] })[0]).toMatch(/^orgs\.0\.secret: must be/);
  });

  it('refuses an empty orgs list rather than scanning nothing', () => {
    expect(problemsOf({ orgs: [] }).join('\n')).toContain('orgs');
  });
});
