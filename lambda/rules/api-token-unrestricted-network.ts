// Compliant: every API token is allowed only in real, active network zones that do not admit most addresses.
// "Most" (half of IPv4 or of the IPv6 internet) and the dynamic-zone reading: lambda/zones/zone-reach.ts.

import { CONTROLS } from '../domain/compliance';
import type { Severity } from '../domain/finding';
import type { ApiToken, Inventory, NetworkZone } from '../domain/inventory';
import type { OwnerClassification, Rule, RuleResult } from '../domain/rule';
import { type ZoneReach, zoneReach } from '../zones/zone-reach';
import { ownerPhrase, tokenLabel, toOwner } from './support/phrasing';
import { REFERENCES } from './support/references';
import { tokenEvidence, tokenResource } from './support/resources';
import { describeFailure, failedSource } from './support/sources';

type Verdict = Pick<RuleResult, 'status'> & { why: string; zones?: Record<string, unknown>[] };

const quoted = (reaches: ZoneReach[]): string =>
  reaches.map((r) => (r.kind === 'missing' ? r.id : `"${r.zone.name}"`)).join(', ');

function zoneEvidence(reach: ZoneReach): Record<string, unknown> {
  if (reach.kind === 'missing') return { id: reach.id, reach: 'missing' };
  const { id, name, type, status, usage } = reach.zone;
  const detail =
    reach.kind === 'wide'
      ? { why: reach.why, widestRange: reach.widestRange }
      : reach.kind === 'bounded'
        ? { admits: reach.admits }
        : reach.kind === 'unknown'
          ? { why: reach.why }
          : {};
  return { id, name, type, status, usage, reach: reach.kind, ...detail };
}

/** Why the zones could not be judged, or null when they were read. */
function zonesUnread(inventory: Inventory): string | null {
  const failure = failedSource(inventory, 'zones');
  if (failure) return describeFailure(failure);
  if (inventory.sources.zones?.status !== 'complete' || !inventory.networkZones) {
    return 'zones were not read in this scan (needs okta.networkZones.read)';
  }
  return null;
}

/** The token's include list is a union: one zone admitting any address opens the token to all. */
function judgeZones(include: string[], zones: ReadonlyMap<string, NetworkZone>): Verdict {
  const reaches = include.map((id) => zoneReach(id, zones));
  const evidence = reaches.map(zoneEvidence);
  const of = (kind: ZoneReach['kind']): ZoneReach[] => reaches.filter((r) => r.kind === kind);
  const wide = of('wide')[0];
  if (wide?.kind === 'wide') {
    const range = wide.widestRange ? ` (widest range ${wide.widestRange})` : '';
    return {
      status: 'FAIL',
      why: `is restricted to zone "${wide.zone.name}" in name only: ${wide.why}${range}`,
      zones: evidence,
    };
  }
  const unknown = of('unknown')[0];
  if (unknown?.kind === 'unknown') {
    return {
      status: 'UNKNOWN',
      why: `is restricted to zone "${unknown.zone.name}", whose reach is unclear: ${unknown.why}`,
      zones: evidence,
    };
  }
  const bounded = of('bounded');
  if (bounded.length > 0) {
    const admits = bounded.map((r) => (r.kind === 'bounded' ? `"${r.zone.name}" (${r.admits})` : '')).join(' and ');
    const zonesWord = bounded.length > 1 ? 'zones' : 'zone';
    return { status: 'PASS', why: `is restricted to network ${zonesWord} ${admits}`, zones: evidence };
  }
  const inactive = of('inactive');
  if (inactive.length > 0) {
    // Okta does not document what an inactive zone in a token's condition does: refuse every
    // address, or drop the restriction. Neither a pass nor a proven fail.
    return {
      status: 'UNKNOWN',
      why: `is allowed only in inactive zones (${quoted(inactive)}): Okta does not document whether such a token is refused everywhere or allowed everywhere`,
      zones: evidence,
    };
  }
  return {
    status: 'FAIL',
    why: `is allowed only in network zones that no longer exist (${quoted(of('missing'))}), so it is restricted to nothing anyone can check`,
    zones: evidence,
  };
}

function judge(token: ApiToken, inventory: Inventory, zones: ReadonlyMap<string, NetworkZone>): Verdict {
  const connection = token.network?.connection ?? null;
  const include = token.network?.include ?? [];
  if (connection === null || connection === 'ANYWHERE') {
    return { status: 'FAIL', why: 'can be used from any network: it has no network zone restriction' };
  }
  if (connection !== 'ZONE') {
    return { status: 'UNKNOWN', why: `has a network connection "${connection}" this scanner does not know` };
  }
  if (include.length === 0) {
    const excluded = token.network?.exclude.join(', ') || 'none';
    return {
      status: 'FAIL',
      why: `can be used from every network except its excluded zones (${excluded}): it allows no zone in particular`,
    };
  }
  const unread = zonesUnread(inventory);
  if (unread) return { status: 'UNKNOWN', why: `is restricted to zones that could not be checked: ${unread}` };
  return judgeZones(include, zones);
}

/** Medium for a Super Administrator's token (the STIG finding), and when the roles are unknown. */
function severityFor(owner: OwnerClassification): { severity: Severity; ownerSuperAdmin: boolean | null } {
  if (owner.missing) return { severity: 'low', ownerSuperAdmin: false };
  const roles = owner.user?.roles ?? null;
  if (roles === null) return { severity: 'medium', ownerSuperAdmin: null };
  const superAdmin = roles.some((r) => r.type === 'SUPER_ADMIN' && r.status !== 'INACTIVE');
  return { severity: superAdmin ? 'medium' : 'low', ownerSuperAdmin: superAdmin };
}

export const apiTokenUnrestrictedNetwork: Rule = {
  id: 'api-token-unrestricted-network',
  title: 'API token usable from anywhere',
  severity: 'low',
  resourceType: 'api_token',
  rationale:
    "A token without a real network restriction works from any IP address: whoever obtains it can use it from anywhere, with all of its owner's admin rights. A zone restriction counts only if the zone exists, is active and does not admit most addresses.",
  remediation:
    'Edit the token in Security > API > Tokens and allow it only in active network zones that hold just the addresses the integration calls from ("Allow in specified network zones"), or replace it with an OAuth 2.0 service app.',
  references: [REFERENCES.apiTokens, REFERENCES.networkZones],
  compliance: [CONTROLS.stigTokenNetworkZone],
  sources: ['apiTokens', 'zones'],
  contextSources: ['owners', 'ownerGroups', 'ownerRoles'],
  listedFrom: 'apiTokens',
  listedWhat: 'API token network restrictions',
  evaluate(inventory, ctx): RuleResult[] {
    const zones = new Map((inventory.networkZones ?? []).map((z) => [z.id, z]));
    return inventory.apiTokens.map((token): RuleResult => {
      const classification = ctx.classifyOwner(token.userId);
      const owner = toOwner(classification);
      const verdict = judge(token, inventory, zones);
      const { severity, ownerSuperAdmin } = severityFor(classification);
      return {
        status: verdict.status,
        resource: tokenResource(token),
        owner,
        severity,
        message: `${tokenLabel(token)}, owned by ${ownerPhrase(owner, classification.missing)}, ${verdict.why}.`,
        evidence: {
          ...tokenEvidence(token, inventory),
          networkConnection: token.network?.connection ?? null,
          includedZones: token.network?.include ?? [],
          excludedZones: token.network?.exclude ?? [],
          ...(verdict.zones ? { zones: verdict.zones } : {}),
          ownerSuperAdmin,
        },
      };
    });
  },
};
