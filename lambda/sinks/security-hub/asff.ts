import type { AwsSecurityFinding, Partition, Resource, SeverityLabel } from '@aws-sdk/client-securityhub';
import { type Finding, RESOURCE_TYPES, type Severity } from '../../domain/finding';
import { PRODUCT_ARN_PATTERN } from '../../function-contract';
import { getRule } from '../../rules';
import { clip } from '../../text';

// A finding in the AWS Security Finding Format (ASFF), as BatchImportFindings takes it. Field
// limits are those of the API reference:
// https://docs.aws.amazon.com/securityhub/1.0/APIReference/API_AwsSecurityFinding.html

export const ASFF_SCHEMA_VERSION = '2018-10-08';

/** The product ARN names the account and region findings are imported into. */
export interface AsffTarget {
  productArn: string;
  partition: Partition;
  region: string;
  accountId: string;
}

/** Reads `arn:<partition>:securityhub:<region>:<account>:product/<account>/default`. */
export function asffTarget(productArn: string): AsffTarget {
  const match = PRODUCT_ARN_PATTERN.exec(productArn);
  if (!match) throw new Error(`not a Security Hub product ARN: ${productArn}`);
  const [, partition, region, accountId] = match;
  return { productArn, partition: partition as Partition, region, accountId };
}

/** One finding as Security Hub will hold it: active while failing, archived once resolved. */
export interface AsffInput {
  org: string;
  finding: Finding;
  firstSeen: string;
  lastSeen: string;
  /** The scan's end: Security Hub keeps an update only when UpdatedAt is later than what it has. */
  updatedAt: string;
  state: 'active' | 'resolved';
}

const SEVERITY_LABEL: Record<Severity, SeverityLabel> = {
  critical: 'CRITICAL',
  high: 'HIGH',
  medium: 'MEDIUM',
  low: 'LOW',
  info: 'INFORMATIONAL',
};

/** Unique per org: two orgs can hold the same Okta id. */
export const asffId = (org: string, findingId: string): string => clip(`${org}/${findingId}`, 512);

function owner(finding: Finding): Record<string, string> {
  if (!finding.owner) return {};
  const { id, login, kind, status } = finding.owner;
  return {
    owner: clip(login ?? id, 1024),
    ownerId: clip(id, 1024),
    ownerKind: kind,
    ...(status ? { ownerStatus: clip(status, 1024) } : {}),
  };
}

function types(finding: Finding): string[] {
  const mapped = (finding.compliance ?? []).length > 0;
  return [
    mapped
      ? 'Software and Configuration Checks/Industry and Regulatory Standards'
      : 'Software and Configuration Checks',
  ];
}

/** The Okta resource: ASFF has no type for it, so `Other`, with its Okta identity in the details. */
function resource(target: AsffTarget, org: string, finding: Finding): Resource {
  return {
    Type: 'Other',
    Id: clip(`okta://${org}/${finding.resource.type}/${finding.resource.id}`, 512),
    Partition: target.partition,
    Region: target.region,
    Details: {
      Other: {
        oktaOrg: clip(org, 1024),
        type: finding.resource.type,
        id: clip(finding.resource.id, 1024),
        name: clip(finding.resource.name, 1024),
      },
    },
  };
}

export function toAsff(target: AsffTarget, input: AsffInput): AwsSecurityFinding {
  const { finding, org } = input;
  const rule = getRule(finding.ruleId);
  const resolved = input.state === 'resolved';
  const severity = { Label: SEVERITY_LABEL[finding.severity], Original: finding.severity };
  const label = RESOURCE_TYPES[finding.resource.type].label;
  const reference = rule?.references[0];
  return {
    SchemaVersion: ASFF_SCHEMA_VERSION,
    Id: asffId(org, finding.id),
    ProductArn: target.productArn,
    ProductName: 'okta-ownership-scanner',
    CompanyName: 'okta-ownership-scanner',
    GeneratorId: `okta-ownership-scanner/${finding.ruleId}`,
    AwsAccountId: target.accountId,
    Region: target.region,
    Types: types(finding),
    CreatedAt: input.firstSeen,
    UpdatedAt: input.updatedAt,
    FirstObservedAt: input.firstSeen,
    LastObservedAt: input.lastSeen,
    // Providers change severity and types through FindingProviderFields after the first import.
    Severity: severity,
    FindingProviderFields: { Severity: severity, Types: types(finding) },
    Title: clip(`${rule?.title ?? finding.ruleId}: ${label} "${finding.resource.name}"`, 256),
    Description: clip(finding.message, 1024),
    Remediation: {
      Recommendation: { Text: clip(finding.remediation, 512), ...(reference ? { Url: reference } : {}) },
    },
    ProductFields: {
      'okta-ownership-scanner/org': clip(org, 2048),
      'okta-ownership-scanner/ruleId': finding.ruleId,
      'okta-ownership-scanner/findingId': clip(finding.id, 2048),
      ...(finding.owner ? { 'okta-ownership-scanner/owner': clip(finding.owner.login ?? finding.owner.id, 2048) } : {}),
    },
    // Security Hub keeps these as the customer's after the first import; they name the owner then.
    UserDefinedFields: owner(finding),
    Resources: [resource(target, org, finding)],
    Compliance: {
      Status: resolved ? 'PASSED' : 'FAILED',
      RelatedRequirements: (finding.compliance ?? []).slice(0, 32).map((c) => clip(`${c.framework} ${c.control}`, 256)),
    },
    RecordState: resolved ? 'ARCHIVED' : 'ACTIVE',
    // BatchImportFindings sets Workflow only when it creates a finding; after that it is the
    // analysts' (BatchUpdateFindings, which this function may not call). ARCHIVED takes a resolved
    // finding out of the active views, and a regression (ARCHIVED to ACTIVE) resets it to NEW:
    // https://docs.aws.amazon.com/securityhub/latest/userguide/findings-workflow-status.html
    Workflow: { Status: resolved ? 'RESOLVED' : 'NEW' },
  };
}
