// The frame of the rules about the account an integration runs on (owner-leaving, owner-inactive):
// every kind of integration, one verdict per integration from the rule's judge.

import { DEPENDENCY_KINDS, DEPENDENCY_SOURCES, type Dependency, dependencies } from '../../domain/dependencies';
import { ALL_RESOURCES, type FindingOwner, RESOURCE_TYPES } from '../../domain/finding';
import { describeFailure, failedSource, type Inventory } from '../../domain/inventory';
import type { OwnerClassification, RuleContext, RuleResult } from '../../domain/rule';
import { toOwner } from './phrasing';

/** What the owner rules judge: one integration, the account it runs on and that account's classification. */
export interface DependencySubject {
  dependency: Dependency;
  classification: OwnerClassification;
  owner: FindingOwner;
}

/**
 * One UNKNOWN row per kind of integration whose list (or whose account) could not be read, and a
 * verdict from `judge` for every integration of the other kinds.
 */
export function evaluateDependencies(
  inventory: Inventory,
  ctx: RuleContext,
  judge: (subject: DependencySubject) => RuleResult,
): RuleResult[] {
  const unreadable = new Set<string>();
  const rows: RuleResult[] = [];
  for (const kind of DEPENDENCY_KINDS) {
    const failure = failedSource(inventory, ...DEPENDENCY_SOURCES[kind]);
    if (!failure) continue;
    unreadable.add(kind);
    rows.push({
      status: 'UNKNOWN',
      resource: ALL_RESOURCES[kind],
      owner: null,
      message: `The accounts ${RESOURCE_TYPES[kind].plural} run on could not be checked: ${describeFailure(failure)}.`,
      evidence: { unreadSource: failure.source, reason: failure.reason, requiredScope: failure.requiredScope },
    });
  }
  for (const dependency of dependencies(inventory)) {
    if (unreadable.has(dependency.resource.type)) continue;
    const classification = ctx.classifyOwner(dependency.userId);
    rows.push(judge({ dependency, classification, owner: toOwner(classification, dependency.entity) }));
  }
  return rows;
}
