// Compliant: the account that last authorized each live Workflows connection exists and is ACTIVE.
import { CONTROLS } from '../domain/compliance';
import type { Rule, RuleResult } from '../domain/rule';
import { ownerPhrase, statusPhrase } from './support/phrasing';
import { REFERENCES } from './support/references';
import { verdicts } from './support/verdicts';
import { connectionEvidence, evaluateWorkflowsConnections } from './support/workflows';

export const workflowsConnectionAuthorizerNotActive: Rule = {
  id: 'workflows-connection-authorizer-not-active',
  title: 'Workflows connection authorizer is not active',
  severity: 'critical',
  resourceType: 'workflows_connection',
  rationale:
    'A Workflows connection authorized by an account that is no longer active cannot act any more: every flow that uses it fails.',
  remediation:
    'In Okta Workflows > Connections, reauthorize the connection while signed in as an active service account, then rerun the flows that failed.',
  references: [REFERENCES.workflowsAuthorize, REFERENCES.workflowsDeactivate],
  compliance: [CONTROLS.nhiImproperOffboarding],
  // Known only from the System Log window: a connection missing from a scan may still exist.
  resolvesByAbsence: false,
  sources: ['workflowsEvents', 'owners'],
  contextSources: ['ownerGroups'],
  listedFrom: 'workflowsEvents',
  listedWhat: 'Workflows connections (known only from the System Log)',
  dependsOn: 'authorizer',
  evaluate(inventory, ctx): RuleResult[] {
    return evaluateWorkflowsConnections(inventory, ctx, ({ connection, classification, owner, resource }) => {
      const row = verdicts(resource, owner, {
        ...connectionEvidence(connection),
        authorizerStatus: owner.status,
        authorizerMissing: classification.missing,
      });
      const label = `Workflows connection "${connection.name}"`;
      const who = owner.login ?? owner.id;
      // Known only from Workflows acting as the account: the authorization is older than the log.
      const by = connection.lastAuthorizedAt === null ? 'runs as' : 'was last authorized by';
      if (classification.missing) {
        return row.fail(`${label} ${by} ${who}, who no longer exists in Okta: the connection cannot act any more.`);
      }
      if (classification.user === null) {
        return row.unknown(
          `Could not check whether the account that authorized ${label} is active: ${ownerPhrase(owner)}.`,
        );
      }
      if (!classification.status) {
        // Okta sent no status: not a reason to call the account inactive, nor active.
        return row.unknown(
          `Okta gave no status for ${who}, who last authorized ${label}: whether the account is active cannot be told.`,
        );
      }
      if (classification.status !== 'ACTIVE') {
        return row.fail(
          `${label} ${by} ${who}, whose account is ${statusPhrase(classification.status ?? 'unknown')}: flows using the connection fail.`,
        );
      }
      return row.pass(`${label} ${by} ${who}, whose account is ACTIVE.`);
    });
  },
};
