import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { DEFAULT_WARNING_DAYS } from './domain/leaving';
import { ConfigError } from './errors';
import { RULE_IDS } from './rules';

// The config file (README.md, "Config"), parsed once at the edge into a frozen value.

export const DEFAULT_SERVICE_ACCOUNTS = {
  groups: ['Service Accounts'],
  userTypes: ['service'],
  loginPatterns: ['^(svc|service)[-_.]'],
  userIds: [] as string[],
};

const isoDate = z.string().refine((s) => /^\d{4}-\d{2}-\d{2}/.test(s) && !Number.isNaN(Date.parse(s)), {
  message: 'must be a date such as 2027-01-31',
});

const regex = z.string().refine(
  (s) => {
    try {
      new RegExp(s, 'i');
      return true;
    } catch {
      return false;
    }
  },
  { message: 'is not a valid JavaScript regular expression' },
);

const suppressionSchema = z.strictObject({
  // A mistyped rule id would suppress nothing, silently: it is named like any other mistake.
  ruleId: z
    .string()
    .min(1)
    .refine((id) => id.length === 0 || RULE_IDS.includes(id), {
      error: (issue) => `"${String(issue.input)}" is not a rule (okta-scan rules lists them)`,
    }),
  resourceId: z.string().min(1),
  reason: z.string().trim().min(1, 'a reason is required'),
  expires: isoDate,
});

const leaversSchema = z.strictObject({
  /** Members of these groups (by name, case-insensitive) are leaving. */
  groups: z.array(z.string().min(1)).default([]),
  /** A profile attribute holding the leaving date (a custom attribute such as terminationDate). */
  dateAttribute: z.string().min(1).optional(),
  warningDays: z.number().int().min(0).max(365).default(DEFAULT_WARNING_DAYS),
});

export const configSchema = z.strictObject({
  serviceAccounts: z
    .strictObject({
      groups: z.array(z.string().min(1)).default(DEFAULT_SERVICE_ACCOUNTS.groups),
      userTypes: z.array(z.string().min(1)).default(DEFAULT_SERVICE_ACCOUNTS.userTypes),
      loginPatterns: z.array(regex).default(DEFAULT_SERVICE_ACCOUNTS.loginPatterns),
      userIds: z.array(z.string().min(1)).default([]),
    })
    .default(DEFAULT_SERVICE_ACCOUNTS),
  lookbackDays: z.number().int().min(1).max(90).default(90),
  expiryWarningDays: z.number().int().min(0).max(365).default(7),
  /** Days without use after which a token should be revoked; Okta itself revokes it after 30. */
  unusedTokenDays: z.number().int().min(1).max(30).default(14),
  notify: z.enum(['changes', 'always']).default('changes'),
  /** How long per-scan history is kept in DynamoDB (TTL), in days. */
  historyRetentionDays: z.number().int().min(1).max(3650).default(400),
  suppressions: z.array(suppressionSchema).default([]),
  /** Owners about to leave: unset, no owner-leaving rule. */
  leavers: leaversSchema.optional(),
  /** An inactivity policy's days without sign-in before suspension (DISA STIG V-273188: 35); unset, no owner-inactive rule. */
  inactivitySuspendDays: z.number().int().min(1).max(3650).optional(),
  /** One account holding more integrations than this is called out in the people view. */
  concentrationThreshold: z.number().int().min(1).default(10),
  /** Lambda: import each scan's FAIL findings into AWS Security Hub and archive the resolved ones. */
  securityHub: z.boolean().default(false),
});

/** Warning as long before a suspension as the policy allows between sign-ins would warn of every owner. */
const checkedConfigSchema = configSchema.superRefine((config, ctx) => {
  const warningDays = config.leavers?.warningDays ?? DEFAULT_WARNING_DAYS;
  if (config.inactivitySuspendDays !== undefined && warningDays >= config.inactivitySuspendDays) {
    ctx.addIssue({
      code: 'custom',
      path: ['inactivitySuspendDays'],
      message: `must be more than leavers.warningDays (${warningDays}), or every owner would be warned of`,
    });
  }
});

export type ScannerConfig = Readonly<z.output<typeof configSchema>>;
export type Suppression = z.output<typeof suppressionSchema>;

/** Turns zod issues into "path: problem" lines a person can act on. */
export function describeIssues(error: z.ZodError): string[] {
  return error.issues.map((issue) => {
    const path = issue.path.length > 0 ? issue.path.join('.') : '(top level)';
    if (issue.code === 'unrecognized_keys') {
      return `${path}: unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
    }
    return `${path}: ${issue.message}`;
  });
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/** Validates a parsed config value. `origin` names it in the error (a file path, "embedded config"). */
export function parseConfig(value: unknown, origin = 'config'): ScannerConfig {
  const result = checkedConfigSchema.safeParse(value ?? {});
  if (!result.success) {
    throw new ConfigError(`Invalid config in ${origin}`, describeIssues(result.error));
  }
  return deepFreeze(result.data);
}

export function loadConfigFile(path: string): ScannerConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    throw new ConfigError(`Cannot read config file ${path}: ${(cause as NodeJS.ErrnoException).code ?? cause}`, [], {
      cause,
    });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new ConfigError(`Config file ${path} is not valid JSON: ${(cause as Error).message}`, [], { cause });
  }
  return parseConfig(value, path);
}

export const DEFAULT_CONFIG: ScannerConfig = parseConfig({});
