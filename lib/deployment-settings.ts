import { DEFAULT_CONFIG, loadConfigFile, type ScannerConfig, SECRET_ARN } from '../lambda/config';
import { ConfigError } from '../lambda/errors';

// Turns the raw `-c key=value` strings that bin/ reads into checked deployment settings.
// Pure: no context, no environment; the only I/O is reading the scanner config file.

export const DEFAULT_SCHEDULE = 'cron(0 2 * * ? *)';

/** The context keys `cdk synth|deploy -c key=value` understands. */
export interface RawDeploymentContext {
  readonly schedule?: unknown;
  readonly configFile?: unknown;
  readonly oktaSecretArn?: unknown;
  readonly oktaSecretKeyArn?: unknown;
  readonly notificationEmails?: unknown;
  readonly oktaEventSource?: unknown;
}

export interface DeploymentSettings {
  /** EventBridge schedule expression, UTC. */
  readonly schedule: string;
  /** The validated scanner config, handed to the function as SCANNER_CONFIG. */
  readonly scannerConfig: ScannerConfig;
  /** Complete ARN of an existing Okta secret; absent: the stack creates one to fill in. */
  readonly oktaSecretArn?: string;
  /** The customer managed key of that existing secret, if it is not aws/secretsmanager. */
  readonly oktaSecretKeyArn?: string;
  readonly notificationEmails: readonly string[];
  /** Okta's partner event source (System Log streamed to EventBridge); absent: no owner alerts. */
  readonly oktaEventSource?: string;
}

const RATE = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/;
const CRON = /^cron\(([^()]+)\)$/;
const EMAIL = /^[^\s@,]+@[^\s@,]+\.[^\s@,]+$/;
// A complete secret ARN ends in the 6-character suffix Secrets Manager adds; IAM needs it to match exactly.
const SECRET_COMPLETE_ARN =
  /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@-]+-[A-Za-z0-9]{6}$/;
// The name Okta gives the partner event source: aws.partner/okta.com/<Okta subdomain>/<event source name>
// (https://help.okta.com/en-us/content/topics/reports/log-streaming/add-aws-eb-log-stream.htm).
const OKTA_EVENT_SOURCE = /^aws\.partner\/okta\.com\/[A-Za-z0-9.-]+\/[A-Za-z0-9_.-]+$/;
const KMS_KEY_ARN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+$/;

/** Problems with an EventBridge schedule expression; empty when it is usable. */
export function scheduleProblems(expression: string): string[] {
  const rate = RATE.exec(expression);
  if (rate) {
    const value = Number(rate[1]);
    const singular = !rate[2].endsWith('s');
    if (value < 1) return ['schedule: a rate must be at least 1'];
    if (singular !== (value === 1))
      return [`schedule: write rate(1 ${rate[2].replace(/s$/, '')}) or rate(N ${rate[2].replace(/s?$/, 's')})`];
    return [];
  }
  const cron = CRON.exec(expression);
  if (cron) {
    const fields = cron[1].trim().split(/\s+/);
    if (fields.length !== 6) {
      return [
        `schedule: cron(...) needs 6 fields (minutes hours day-of-month month day-of-week year), got ${fields.length}`,
      ];
    }
    if ((fields[2] === '?') === (fields[4] === '?')) {
      return ['schedule: exactly one of day-of-month and day-of-week must be "?"'];
    }
    return [];
  }
  return [`schedule: "${expression}" is neither cron(...) nor rate(...), e.g. ${DEFAULT_SCHEDULE} or rate(1 day)`];
}

/**
 * Problems with the configured orgs' secrets that only the deployment can see: an ARN in another
 * account than the stack's (when the CLI knows the account), or one that is not a secret ARN.
 */
export function orgSecretProblems(config: ScannerConfig, account: string | undefined): string[] {
  return (config.orgs ?? []).flatMap((org, index) => {
    // A name is in the stack's account by construction; a malformed ARN was refused with the config.
    const arn = SECRET_ARN.exec(org.secret);
    if (arn === null || account === undefined || arn[3] === account) return [];
    return [
      `orgs.${index}.secret (org "${org.name}"): the secret is in account ${arn[3]}, the stack deploys into ` +
        `${account}; copy the secret into the stack's account (the function reads secrets of its own account only)`,
    ];
  });
}

function optionalString(value: unknown, key: string, problems: string[]): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') {
    problems.push(`${key}: must be a string`);
    return undefined;
  }
  return value.trim();
}

function emailList(value: unknown, problems: string[]): string[] {
  if (value === undefined || value === null || value === '') return [];
  const items = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : null;
  if (items === null) {
    problems.push('notificationEmails: must be a comma-separated list of email addresses');
    return [];
  }
  const emails = items.map((item) => String(item).trim()).filter((item) => item !== '');
  for (const email of emails) {
    if (!EMAIL.test(email)) problems.push(`notificationEmails: "${email}" is not an email address`);
  }
  return [...new Set(emails)];
}

/**
 * Checks every context value and loads the scanner config (the orgs' secrets checked against the
 * stack's account when the CLI knows it). A bad config file throws the
 * ConfigError of lambda/config.ts unchanged, so synth fails with the message the CLI prints.
 */
export function parseDeploymentSettings(
  raw: RawDeploymentContext,
  target: { readonly account?: string } = {},
): DeploymentSettings {
  const problems: string[] = [];

  const schedule = optionalString(raw.schedule, 'schedule', problems) ?? DEFAULT_SCHEDULE;
  problems.push(...scheduleProblems(schedule));

  const oktaSecretArn = optionalString(raw.oktaSecretArn, 'oktaSecretArn', problems);
  if (oktaSecretArn !== undefined && !SECRET_COMPLETE_ARN.test(oktaSecretArn)) {
    problems.push(
      'oktaSecretArn: must be the complete secret ARN including its 6-character suffix ' +
        '(aws secretsmanager describe-secret --secret-id NAME --query ARN)',
    );
  }
  const oktaSecretKeyArn = optionalString(raw.oktaSecretKeyArn, 'oktaSecretKeyArn', problems);
  if (oktaSecretKeyArn !== undefined) {
    if (oktaSecretArn === undefined) problems.push('oktaSecretKeyArn: only applies together with oktaSecretArn');
    if (!KMS_KEY_ARN.test(oktaSecretKeyArn))
      problems.push('oktaSecretKeyArn: must be a KMS key ARN (arn:aws:kms:…:key/…)');
  }

  const notificationEmails = emailList(raw.notificationEmails, problems);
  const oktaEventSource = optionalString(raw.oktaEventSource, 'oktaEventSource', problems);
  if (oktaEventSource !== undefined && !OKTA_EVENT_SOURCE.test(oktaEventSource)) {
    problems.push(
      'oktaEventSource: must be the partner event source name Okta created, aws.partner/okta.com/<org>/<name> ' +
        '(EventBridge console > Partner event sources)',
    );
  }
  const configFile = optionalString(raw.configFile, 'configFile', problems);

  if (problems.length > 0) throw new ConfigError('Invalid deployment context', problems);

  const scannerConfig = configFile === undefined ? DEFAULT_CONFIG : loadConfigFile(configFile);
  const secretProblems = orgSecretProblems(scannerConfig, target.account);
  if (secretProblems.length > 0) throw new ConfigError(`Invalid config in ${configFile}`, secretProblems);

  return {
    schedule,
    scannerConfig,
    oktaSecretArn,
    oktaSecretKeyArn,
    notificationEmails,
    ...(oktaEventSource !== undefined && { oktaEventSource }),
  };
}
