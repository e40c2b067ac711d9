// Compliant: every live Workflows connection was last created or reauthorized by a service account.
import type { Rule, RuleResult } from '../domain/rule';
import { ownerPhrase } from './support/phrasing';
import { REFERENCES } from './support/references';
import { logWindowDays } from './support/sources';
import { byOwnerKind, verdicts } from './support/verdicts';
import { connectionActsAs, connectionEvidence, evaluateWorkflowsConnections } from './support/workflows';

export const workflowsConnectionAuthorizedByHuman: Rule = {
  id: 'workflows-connection-authorized-by-human',
  title: 'Workflows connection authorized by a person',
  severity: 'high',
  resourceType: 'workflows_connection',
  rationale:
    'A Workflows connection acts as the account that signed in when it was created or last reauthorized; Okta actions run by flows are attributed to that account, and the connection breaks when the account is deactivated.',
  remediation:
    'In Okta Workflows > Connections, reauthorize the connection while signed in as a dedicated service account (for the Okta connector: an admin service account with only the roles the flows need).',
  references: [REFERENCES.workflowsAuthorize, REFERENCES.workflowsDeactivate],
  compliance: [],
  // Known only from the System Log window: a connection missing from a scan may still exist.
  resolvesByAbsence: false,
  sources: ['workflowsEvents', 'owners', 'ownerGroups'],
  listedFrom: 'workflowsEvents',
  listedWhat: 'Workflows connections (known only from the System Log)',
  dependsOn: 'authorizer',
  evaluate(inventory, ctx): RuleResult[] {
    return evaluateWorkflowsConnections(inventory, ctx, ({ connection, classification, owner, resource }) => {
      const row = verdicts(resource, owner, {
        ...connectionEvidence(connection),
        ownerSignals: owner.signals,
        logWindowDays: logWindowDays(inventory),
      });
      const label = `Workflows connection "${connection.name}"${connection.connector ? ` (${connection.connector})` : ''}`;
      const how = connectionActsAs(connection);
      return byOwnerKind(row, owner.kind, {
        service: `${label} ${how} ${ownerPhrase(owner)}.`,
        human: `${label} ${how} ${ownerPhrase(owner)}: it stops working when that account is deactivated.`,
        unknown: `Could not tell whether ${label} was authorized by a service account: ${ownerPhrase(owner, classification.missing)}.`,
      });
    });
  },
};
