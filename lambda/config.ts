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

const scanKeys = {
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
};

/** Keys that belong to the deployment as a whole: one table, one Security Hub import, one Map. */
export const DEPLOYMENT_WIDE_KEYS = ['orgs', 'maxConcurrentOrgs', 'historyRetentionDays', 'securityHub'] as const;

/** Each overridable key as given, without its default: an org's `config` replaces only the keys it names. */
function overrideShape(): Record<string, z.ZodType> {
  const deploymentWide: readonly string[] = DEPLOYMENT_WIDE_KEYS;
  const shape: Record<string, z.ZodType> = {};
  for (const [key, schema] of Object.entries(scanKeys)) {
    if (deploymentWide.includes(key)) continue;
    shape[key] = (schema instanceof z.ZodDefault ? schema.removeDefault() : schema).optional();
  }
  for (const key of deploymentWide) {
    shape[key] = z
      .never({ error: 'is deployment-wide: set it at the top level of the config, not per org' })
      .optional();
  }
  return shape;
}

// A Secrets Manager secret name (https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_CreateSecret.html)
// or its ARN, with or without the 6-character suffix Secrets Manager adds to the name.
const SECRET_NAME = /^[A-Za-z0-9/_+=.@-]{1,512}$/;
export const SECRET_ARN = /^arn:(aws[a-z-]*):secretsmanager:([a-z0-9-]+):(\d{12}):secret:([A-Za-z0-9/_+=.@-]+)$/;

const orgSchema = z.strictObject({
  /** How the state machine input, the history and the digest name this org. */
  name: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, {
    error: 'must be 1 to 63 lowercase letters, digits or dashes, starting with a letter or digit (e.g. acme-prod)',
  }),
  secret: z.string().refine((s) => (s.startsWith('arn:') ? SECRET_ARN.test(s) : SECRET_NAME.test(s)), {
    error: (issue) =>
      String(issue.input).startsWith('arn:')
        ? 'is not a Secrets Manager secret ARN (arn:aws:secretsmanager:<region>:<account>:secret:<name>-<6 characters>)'
        : 'must be a Secrets Manager secret name (letters, digits and /_+=.@-) or its ARN',
  }),
  config: z.strictObject(overrideShape()).optional(),
});

export const configSchema = z.strictObject({
  ...scanKeys,
  /** How many orgs the nightly state machine scans side by side (each has its own Okta rate limits). */
  maxConcurrentOrgs: z.number().int().min(1).max(40).default(5),
  /** The orgs the deployment scans; unset: the one org of the stack's secret. */
  orgs: z.array(orgSchema).min(1).optional(),
});

type InactivityKeys = Pick<z.output<typeof configSchema>, 'leavers' | 'inactivitySuspendDays'>;

/** Warning as long before a suspension as the policy allows between sign-ins would warn of every owner. */
function inactivityProblem(config: InactivityKeys): string | undefined {
  const warningDays = config.leavers?.warningDays ?? DEFAULT_WARNING_DAYS;
  if (config.inactivitySuspendDays !== undefined && warningDays >= config.inactivitySuspendDays) {
    return `must be more than leavers.warningDays (${warningDays}), or every owner would be warned of`;
  }
  return undefined;
}

const checkedConfigSchema = configSchema.superRefine((config, ctx) => {
  const problem = inactivityProblem(config);
  if (problem) ctx.addIssue({ code: 'custom', path: ['inactivitySuspendDays'], message: problem });
  const seen = new Set<string>();
  config.orgs?.forEach((org, index) => {
    if (seen.has(org.name)) {
      ctx.addIssue({ code: 'custom', path: ['orgs', index, 'name'], message: `"${org.name}" is configured twice` });
    }
    seen.add(org.name);
    // The org's scan runs with its overrides merged over the base config: the pair must fit there too.
    const merged = inactivityProblem({ ...config, ...(org.config as Partial<InactivityKeys>) });
    if (merged && !problem) {
      ctx.addIssue({ code: 'custom', path: ['orgs', index, 'config', 'inactivitySuspendDays'], message: merged });
    }
  });
});

export type ScannerConfig = Readonly<z.output<typeof configSchema>>;
export type Suppression = z.output<typeof suppressionSchema>;
/** What an org's `config` may set: any key but the deployment-wide ones, each only where given. */
export type OrgOverrides = Partial<Omit<ScannerConfig, (typeof DEPLOYMENT_WIDE_KEYS)[number]>>;

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
