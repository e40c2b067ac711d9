// What a rule may say about sources that could not be read, and about the log window it read.

import { describeFailure, failedSource, type Inventory, type ProvisioningApp } from '../../domain/inventory';
import type { RuleResult } from '../../domain/rule';
import { appResource } from './resources';
import { verdicts } from './verdicts';

export { describeFailure, type FailedSource, failedSource } from '../../domain/inventory';

/** Days covered by the inventory's System Log window, for "not seen in the last N days". */
export function logWindowDays(inventory: Inventory): number {
  const ms = Date.parse(inventory.logWindow.until) - Date.parse(inventory.logWindow.since);
  return Number.isFinite(ms) ? Math.round(ms / 86_400_000) : 0;
}

/**
 * UNKNOWN for an app whose provisioning connection Okta did not return, naming the failed
 * `provisioning` source when that is why. `subject` names the app, `otherwise` ends the sentence
 * when no source failed.
 */
export function connectionUnread(
  inventory: Inventory,
  app: ProvisioningApp,
  subject: string,
  otherwise = '',
): RuleResult {
  const failure = failedSource(inventory, 'provisioning');
  return verdicts(appResource(app), null, { appName: app.name }).unknown(
    `The provisioning connection of ${subject} could not be read${failure ? `: ${describeFailure(failure)}` : otherwise}.`,
  );
}
