// How rules name owners and statuses in their one-sentence messages.

import type { FindingOwner } from '../../domain/finding';
import type { LogEntity } from '../../domain/inventory';
import type { OwnerClassification } from '../../domain/rule';

export { tokenLabel } from '../../domain/inventory';

/** The report's owner shape (the classification without the raw user record). */
export function toOwner(classification: OwnerClassification, fallback?: LogEntity | null): FindingOwner {
  return {
    id: classification.id,
    login: classification.login ?? fallback?.alternateId ?? null,
    status: classification.status,
    kind: classification.kind,
    signals: [...classification.signals],
  };
}

/** "alice@acme.com, a person", for the one-sentence messages. */
export function ownerPhrase(owner: FindingOwner, missing = false): string {
  const name = owner.login ?? owner.id;
  if (missing) return `${name}, who no longer exists in Okta`;
  if (owner.kind === 'human') return `${name}, a person`;
  if (owner.kind === 'service') return `${name}, a service account`;
  return `${name}, who could not be classified (${owner.signals[owner.signals.length - 1] ?? 'no data'})`;
}

/** Okta's UI says "deactivated" for DEPROVISIONED. */
export function statusPhrase(status: string): string {
  return status === 'DEPROVISIONED' ? 'DEPROVISIONED (deactivated)' : status;
}
