// The rows a rule returns: one builder per resource, so a rule states only the status and the
// sentence of each outcome.

import type { FindingOwner, OwnerKind, ResourceRef } from '../../domain/finding';
import type { RuleResult } from '../../domain/rule';

type Evidence = Record<string, unknown>;

export interface Verdicts {
  pass(message: string, extraEvidence?: Evidence): RuleResult;
  fail(message: string, extraEvidence?: Evidence): RuleResult;
  unknown(message: string, extraEvidence?: Evidence): RuleResult;
}

/** Rows about one resource with one owner and the evidence every outcome carries. */
export function verdicts(resource: ResourceRef, owner: FindingOwner | null, evidence: Evidence): Verdicts {
  const row =
    (status: RuleResult['status']) =>
    (message: string, extraEvidence?: Evidence): RuleResult => ({
      status,
      resource,
      owner,
      message,
      evidence: extraEvidence ? { ...evidence, ...extraEvidence } : evidence,
    });
  return { pass: row('PASS'), fail: row('FAIL'), unknown: row('UNKNOWN') };
}

export interface OwnerKindSentences {
  service: string;
  human: string;
  /** The owner could not be classified (unread, deleted, or missing a signal). */
  unknown: string;
  /** Evidence only the UNKNOWN row carries. */
  unknownEvidence?: Evidence;
}

/** The "is it a service account?" verdict: PASS for a service account, FAIL for a person, else UNKNOWN. */
export function byOwnerKind(row: Verdicts, kind: OwnerKind, says: OwnerKindSentences): RuleResult {
  if (kind === 'service') return row.pass(says.service);
  if (kind === 'human') return row.fail(says.human);
  return row.unknown(says.unknown, says.unknownEvidence);
}
