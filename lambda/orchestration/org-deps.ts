import type { CheckpointStore } from '../domain/checkpoint';
import { ConfigError } from '../errors';
import type { JobDeps } from '../job-deps';
import type { ResolvedOrg } from '../org-configs';

// One invocation works on one configured org: its secret, its config (the base config with the
// org's overrides). Without `orgs` in the config there is one, `default`, on the stack's secret.

export function configuredOrgs(deps: JobDeps): readonly ResolvedOrg[] {
  return deps.orgs ?? [{ name: 'default', secret: deps.secretName, config: deps.config }];
}

/** The named org, or ConfigError naming the configured ones. */
export function orgNamed(deps: JobDeps, name: string, field = 'org'): ResolvedOrg {
  const orgs = configuredOrgs(deps);
  const org = orgs.find((o) => o.name === name);
  if (org) return org;
  throw new ConfigError(
    `${field}: "${name}" is not a configured org (configured: ${orgs.map((o) => o.name).join(', ')})`,
  );
}

/** The deps with the org's config and secret in place of the deployment's. */
export function withOrg(deps: JobDeps, org: ResolvedOrg): JobDeps {
  const connectTo = deps.connectTo;
  return {
    ...deps,
    config: org.config,
    secretName: org.secret,
    loadConnection: connectTo ? () => connectTo(org.secret) : deps.loadConnection,
  };
}

/**
 * The org an ad-hoc invocation is about: the one it names, or the only one configured. With
 * several configured and none named, the caller must say which.
 */
export function adHocOrg(deps: JobDeps, name: string | undefined): JobDeps {
  if (name !== undefined) return withOrg(deps, orgNamed(deps, name));
  const orgs = configuredOrgs(deps);
  if (orgs.length === 1) return withOrg(deps, orgs[0]);
  throw new ConfigError(
    `org: this deployment scans ${orgs.length} orgs; name one, e.g. {"org":"${orgs[0].name}"} (configured: ${orgs.map((o) => o.name).join(', ')})`,
  );
}

export function checkpointStore(deps: JobDeps): CheckpointStore {
  if (deps.checkpoints) return deps.checkpoints;
  throw new ConfigError(
    'The state machine steps need the artifact bucket (ARTIFACT_BUCKET is not set; the stack sets it)',
  );
}
