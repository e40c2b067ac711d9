import type { FindingChange } from '../../domain/history';
import { clip } from '../../text';
import { CLIP, type DigestContext, type DigestItem, type DigestJson, type Limits } from './types';

// The SNS `default` body: the digest as JSON for machines, each list cut to its limit.

export function renderJson(ctx: DigestContext, limits: Limits): DigestJson {
  const [violations, resolved, expiring] = ctx.lists;
  return {
    schemaVersion: 1,
    scanId: ctx.scanId,
    org: ctx.org,
    startedAt: ctx.startedAt,
    finishedAt: ctx.finishedAt,
    status: ctx.status,
    failure: ctx.failure,
    errors: ctx.errors,
    severity: ctx.severity,
    counts: ctx.counts,
    violations: violations.items.slice(0, limits[0]),
    people: ctx.people.shown,
    resolved: resolved.items.slice(0, limits[1]),
    expiringSuppressions: expiring.items.slice(0, limits[2]),
    omitted: {
      errors: ctx.errorsOmitted,
      violations: violations.items.length - limits[0],
      resolved: resolved.items.length - limits[1],
      expiringSuppressions: expiring.items.length - limits[2],
    },
    recordPointer: ctx.hasPointer ? ctx.pointer : null,
    reportPage: ctx.reportPage,
  };
}

export function toItem(change: FindingChange): DigestItem {
  const f = change.finding;
  return {
    id: clip(f.id, CLIP.id),
    ruleId: clip(f.ruleId, CLIP.id),
    severity: f.severity,
    state: change.state,
    resource: { type: f.resource.type, id: clip(f.resource.id, CLIP.id), name: clip(f.resource.name, CLIP.name) },
    owner: f.owner ? clip(f.owner.login ?? f.owner.id, CLIP.name) : null,
  };
}
