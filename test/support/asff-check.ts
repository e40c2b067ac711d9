// The minimal ASFF check: the attributes Security Hub requires of every finding, and the limits
// and values the API reference gives for the ones this project sends.
// Required attributes: https://docs.aws.amazon.com/securityhub/latest/userguide/asff-required-attributes.html
// Types' format and namespaces: https://docs.aws.amazon.com/securityhub/latest/userguide/asff-type-taxonomy.html
// Limits and enums: https://docs.aws.amazon.com/securityhub/1.0/APIReference/API_AwsSecurityFinding.html

const TYPE_NAMESPACES = [
  'Software and Configuration Checks',
  'TTPs',
  'Effects',
  'Unusual Behaviors',
  'Sensitive Data Identifications',
];
const SEVERITY_LABELS = ['INFORMATIONAL', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL'];
const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

type Doc = Record<string, unknown>;

function text(doc: Doc, name: string, max: number, problems: string[]): void {
  const value = doc[name];
  if (typeof value !== 'string' || value.length === 0) problems.push(`${name}: required, a non-empty string`);
  else if (value.length > max) problems.push(`${name}: ${value.length} characters, at most ${max}`);
}

function timestamp(doc: Doc, name: string, problems: string[], required = true): void {
  const value = doc[name];
  if (value === undefined && !required) return;
  if (typeof value !== 'string' || !ISO_8601.test(value)) problems.push(`${name}: not an ISO 8601 timestamp`);
}

function oneOf(value: unknown, allowed: string[], name: string, problems: string[]): void {
  if (value !== undefined && !allowed.includes(value as string))
    problems.push(`${name}: ${String(value)} is not one of ${allowed.join(', ')}`);
}

function resources(value: unknown, problems: string[]): void {
  if (!Array.isArray(value) || value.length < 1 || value.length > 32) {
    problems.push('Resources: required, 1 to 32 resources');
    return;
  }
  for (const [i, r] of (value as Doc[]).entries()) {
    const own: string[] = [];
    text(r, 'Type', 256, own);
    text(r, 'Id', 512, own);
    problems.push(...own.map((p) => `Resources[${i}].${p}`));
  }
}

/** The problems of one ASFF document; empty when it satisfies the required fields. */
export function asffProblems(document: object): string[] {
  const doc = document as Doc;
  const problems: string[] = [];
  if (doc.SchemaVersion !== '2018-10-08') problems.push('SchemaVersion: must be 2018-10-08');
  text(doc, 'Id', 512, problems);
  text(doc, 'ProductArn', 2048, problems);
  text(doc, 'GeneratorId', 512, problems);
  if (typeof doc.AwsAccountId !== 'string' || !/^\d{12}$/.test(doc.AwsAccountId))
    problems.push('AwsAccountId: 12 digits');
  text(doc, 'Title', 256, problems);
  text(doc, 'Description', 1024, problems);
  timestamp(doc, 'CreatedAt', problems);
  timestamp(doc, 'UpdatedAt', problems);
  timestamp(doc, 'FirstObservedAt', problems, false);
  timestamp(doc, 'LastObservedAt', problems, false);
  const types = doc.Types;
  if (!Array.isArray(types) || types.length < 1 || types.length > 50) problems.push('Types: required, 1 to 50 types');
  for (const type of Array.isArray(types) ? types : []) {
    const parts = String(type).split('/');
    if (parts.length > 3 || !TYPE_NAMESPACES.includes(parts[0]))
      problems.push(`Types: "${type}" is not namespace/category/classifier`);
  }
  const severity = doc.Severity as Doc | undefined;
  if (!severity || (severity.Label === undefined && severity.Normalized === undefined))
    problems.push('Severity: Label or Normalized required');
  oneOf(severity?.Label, SEVERITY_LABELS, 'Severity.Label', problems);
  resources(doc.Resources, problems);
  oneOf(doc.RecordState, ['ACTIVE', 'ARCHIVED'], 'RecordState', problems);
  oneOf(
    (doc.Workflow as Doc | undefined)?.Status,
    ['NEW', 'NOTIFIED', 'RESOLVED', 'SUPPRESSED'],
    'Workflow.Status',
    problems,
  );
  const compliance = doc.Compliance as Doc | undefined;
  oneOf(compliance?.Status, ['PASSED', 'WARNING', 'FAILED', 'NOT_AVAILABLE'], 'Compliance.Status', problems);
  const related = compliance?.RelatedRequirements;
  if (Array.isArray(related) && related.length > 32) problems.push('Compliance.RelatedRequirements: at most 32');
  const fields = doc.UserDefinedFields as Doc | undefined;
  if (fields && Object.keys(fields).length > 50) problems.push('UserDefinedFields: at most 50');
  return problems;
}
