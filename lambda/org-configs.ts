import type { OrgOverrides, ScannerConfig } from './config';

// The orgs one deployment scans (README.md, "Many orgs (Step Functions)"), each with its own
// secret and its config: the base config with the org's overrides merged over it, key by key.

/** The org name a deployment without `orgs` gives the one org of the stack's secret. */
export const DEFAULT_ORG_NAME = 'default';

export interface ResolvedOrg {
  readonly name: string;
  /** A Secrets Manager secret name or ARN, as configured (the stack's own for the default org). */
  readonly secret: string;
  readonly config: ScannerConfig;
}

/** Each configured org with its effective config; without `orgs`, one org of the stack's secret. */
export function resolveOrgs(config: ScannerConfig, defaultSecret: string): ResolvedOrg[] {
  const { orgs, ...base } = config;
  if (orgs === undefined) return [{ name: DEFAULT_ORG_NAME, secret: defaultSecret, config: Object.freeze(base) }];
  return orgs.map((org) => {
    // Only the keys the org names replace the base's (parsing left the others out, defaults too).
    const overrides: OrgOverrides = org.config ?? {};
    return {
      name: org.name,
      secret: org.secret,
      // Every value comes from the parsed config, already frozen all the way down.
      config: Object.freeze({ ...base, ...overrides }),
    };
  });
}
