import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, parseConfig } from '../../lambda/config';
import { ConfigError } from '../../lambda/errors';
import {
  DEFAULT_SCHEDULE,
  orgSecretProblems,
  parseDeploymentSettings,
  scheduleProblems,
} from '../../lib/deployment-settings';
import { secretResourceArn } from '../../lib/org-secrets';

const dir = mkdtempSync(join(tmpdir(), 'okta-scanner-settings-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function problemsOf(raw: Parameters<typeof parseDeploymentSettings>[0]): string[] {
  try {
    parseDeploymentSettings(raw);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('deployment settings', () => {
  it('defaults to 02:00 UTC nightly, the default config, a new secret and no email', () => {
    expect(parseDeploymentSettings({})).toEqual({
      schedule: DEFAULT_SCHEDULE,
      scannerConfig: DEFAULT_CONFIG,
      oktaSecretArn: undefined,
      oktaSecretKeyArn: undefined,
      notificationEmails: [],
    });
    expect(DEFAULT_SCHEDULE).toBe('cron(0 2 * * ? *)');
  });

  it.each(['cron(0 2 * * ? *)', 'cron(30 4 ? * MON-FRI *)', 'rate(1 day)', 'rate(12 hours)'])(
    'accepts the schedule %s',
    (expression) => {
      expect(scheduleProblems(expression)).toEqual([]);
    },
  );

  it.each([
    ['0 2 * * *', 'neither cron(...) nor rate(...)'],
    ['cron(0 2 * * *)', 'needs 6 fields'],
    ['cron(0 2 1 * MON *)', 'exactly one of day-of-month and day-of-week'],
    ['rate(1 days)', 'rate(1 day)'],
    ['rate(0 hours)', 'at least 1'],
  ])('refuses the schedule %s, saying why', (expression, why) => {
    expect(problemsOf({ schedule: expression }).join('\n')).toContain(why);
  });

  it('splits -c notificationEmails on commas and refuses anything that is not an address', () => {
    expect(parseDeploymentSettings({ notificationEmails: ' a@x.com,b@y.org ,a@x.com' }).notificationEmails).toEqual([
      'a@x.com',
      'b@y.org',
    ]);
    expect(problemsOf({ notificationEmails: 'a@x.com,not-an-address' })).toEqual([
      'notificationEmails: "not-an-address" is not an email address',
    ]);
  });

  it('accepts only a complete secret ARN, since IAM must match it exactly', () => {
    const complete = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:okta/scanner-AbC123';
    expect(parseDeploymentSettings({ oktaSecretArn: complete }).oktaSecretArn).toBe(complete);
    expect(
      problemsOf({ oktaSecretArn: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:okta/scanner' })[0],
    ).toMatch(/^oktaSecretArn: must be the complete secret ARN/);
  });

  it('takes -c oktaEventSource only as the partner event source name Okta creates', () => {
    const source = 'aws.partner/okta.com/acme-corp/okta-scan_prod';
    expect(parseDeploymentSettings({ oktaEventSource: ` ${source} ` }).oktaEventSource).toBe(source);
    for (const bad of [
      'okta-scan',
      'aws.partner/okta.com/acme',
      'aws.partner/example.com/acme/x',
      'aws.partner/okta.com/a/b c',
    ]) {
      expect(problemsOf({ oktaEventSource: bad })[0]).toMatch(
        /^oktaEventSource: must be the partner event source name Okta created, aws\.partner\/okta\.com\/<org>\/<name>/,
      );
    }
  });

  it('lists every bad context value at once', () => {
    expect(problemsOf({ schedule: 'nightly', notificationEmails: 'x', oktaSecretArn: 'okta' })).toHaveLength(3);
  });

  it('reads -c configFile through the same loader as the CLI', () => {
    const file = join(dir, 'config.json');
    writeFileSync(file, JSON.stringify({ serviceAccounts: { userIds: ['00u1'] } }));
    expect(parseDeploymentSettings({ configFile: file }).scannerConfig.serviceAccounts.userIds).toEqual(['00u1']);
    expect(() => parseDeploymentSettings({ configFile: join(dir, 'missing.json') })).toThrow(
      /^Cannot read config file .*missing\.json: ENOENT$/,
    );
  });

  it("refuses an org secret ARN in another account than the stack's, naming the org, once the account is known", () => {
    const config = parseConfig({
      orgs: [
        { name: 'acme-prod', secret: 'okta/acme-prod' },
        { name: 'subsidiary', secret: 'arn:aws:secretsmanager:us-east-1:999999999999:secret:okta/sub' },
        { name: 'acme-eu', secret: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:okta/eu-AbC123' },
      ],
    });
    expect(orgSecretProblems(config, '123456789012')).toEqual([
      'orgs.1.secret (org "subsidiary"): the secret is in account 999999999999, the stack deploys into 123456789012; ' +
        "copy the secret into the stack's account (the function reads secrets of its own account only)",
    ]);
    // Without credentials the CLI knows no account: nothing to compare with.
    expect(orgSecretProblems(config, undefined)).toEqual([]);
    const file = join(dir, 'orgs.json');
    writeFileSync(file, JSON.stringify(config));
    expect(() => parseDeploymentSettings({ configFile: file }, { account: '123456789012' })).toThrow(
      /org "subsidiary"/,
    );
    expect(parseDeploymentSettings({ configFile: file }).scannerConfig.orgs).toHaveLength(3);
  });

  it('turns each org secret into the one IAM resource that matches it', () => {
    const target = { partition: 'aws', region: 'eu-west-1', account: '123456789012' };
    const arn = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:okta/eu';
    expect(secretResourceArn('okta/prod', target)).toBe(
      'arn:aws:secretsmanager:eu-west-1:123456789012:secret:okta/prod-??????',
    );
    expect(secretResourceArn(arn, target)).toBe(`${arn}-??????`);
    expect(secretResourceArn(`${arn}-AbC123`, target)).toBe(`${arn}-AbC123`);
  });
});
