// A minimal check of OCSF 1.8.0's Compliance Finding class (class_uid 2003), written from the
// schema's own definition at tag 1.8.0 of https://github.com/ocsf/ocsf-schema:
// events/base_event.json, events/findings/finding.json, events/findings/compliance_finding.json,
// objects/{metadata,product,_entity,finding_info,compliance,resource_details,user,remediation}.json
// and dictionary.json (types and enums). Required attributes must be there with their types;
// every attribute used must be one the class or its object defines; enums hold defined values.

type Json = Record<string, unknown>;

/** Attributes of base_event + finding + compliance_finding (profiles aside). */
const EVENT_ATTRIBUTES = new Set([
  'activity_id',
  'activity_name',
  'category_name',
  'category_uid',
  'class_name',
  'class_uid',
  'count',
  'duration',
  'end_time',
  'enrichments',
  'message',
  'metadata',
  'observables',
  'raw_data',
  'raw_data_hash',
  'raw_data_size',
  'severity',
  'severity_id',
  'start_time',
  'status',
  'status_code',
  'status_detail',
  'status_id',
  'time',
  'timezone_offset',
  'type_name',
  'type_uid',
  'unmapped',
  'comment',
  'confidence',
  'confidence_id',
  'confidence_score',
  'device',
  'finding_info',
  'vendor_attributes',
  'resources',
  'compliance',
  'evidences',
  'remediation',
  'resource',
]);

const OBJECT_ATTRIBUTES: Record<string, Set<string>> = {
  metadata: new Set([
    'correlation_uid',
    'event_code',
    'labels',
    'log_name',
    'log_provider',
    'log_version',
    'logged_time',
    'modified_time',
    'original_time',
    'processed_time',
    'product',
    'profiles',
    'tenant_uid',
    'uid',
    'version',
    'tags',
  ]),
  product: new Set(['cpe_name', 'feature', 'lang', 'name', 'path', 'uid', 'url_string', 'vendor_name', 'version']),
  finding_info: new Set([
    'analytic',
    'attacks',
    'created_time',
    'data_sources',
    'desc',
    'first_seen_time',
    'kill_chain',
    'last_seen_time',
    'modified_time',
    'product',
    'product_uid',
    'related_analytics',
    'related_events',
    'src_url',
    'tags',
    'title',
    'types',
    'uid',
    'uid_alt',
  ]),
  compliance: new Set([
    'assessments',
    'category',
    'checks',
    'compliance_references',
    'compliance_standards',
    'control',
    'control_parameters',
    'desc',
    'requirements',
    'standards',
    'status',
    'status_code',
    'status_detail',
    'status_details',
    'status_id',
  ]),
  resource_details: new Set([
    'agent_list',
    'cloud_partition',
    'criticality',
    'data',
    'group',
    'hostname',
    'ip',
    'labels',
    'name',
    'namespace',
    'owner',
    'provider',
    'region',
    'role',
    'role_id',
    'tags',
    'type',
    'uid',
    'uid_alt',
    'version',
    'zone',
    'created_time',
    'modified_time',
  ]),
  user: new Set([
    'account',
    'credential_uid',
    'display_name',
    'domain',
    'email_addr',
    'full_name',
    'groups',
    'has_mfa',
    'name',
    'org',
    'type',
    'type_id',
    'uid',
    'uid_alt',
  ]),
  remediation: new Set(['cis_controls', 'desc', 'kb_article_list', 'kb_articles', 'references']),
};

const ENUMS = {
  activity_id: [0, 1, 2, 3, 99],
  severity_id: [0, 1, 2, 3, 4, 5, 6, 99],
  status_id: [0, 1, 2, 3, 4, 5, 6, 99],
  compliance_status_id: [0, 1, 2, 3, 99],
  role_id: [0, 1, 2, 3, 4, 99],
  user_type_id: [0, 1, 2, 3, 4, 99],
};

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isInt(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value);
}

function isStrings(value: unknown): boolean {
  return Array.isArray(value) && value.every((v) => typeof v === 'string');
}

function unknownKeys(where: string, value: Json, allowed: Set<string>, problems: string[]): void {
  for (const key of Object.keys(value)) if (!allowed.has(key)) problems.push(`${where}.${key} is not an attribute`);
}

function checkEnum(where: string, value: unknown, allowed: number[], problems: string[], required = false): void {
  if (value === undefined && !required) return;
  if (!isInt(value) || !allowed.includes(value)) problems.push(`${where} ${String(value)} is not in its enum`);
}

function checkUser(where: string, user: unknown, problems: string[]): void {
  if (!isObject(user)) return void problems.push(`${where} is not a user object`);
  unknownKeys(where, user, OBJECT_ATTRIBUTES.user, problems);
  // user: at_least_one of account, name, uid.
  if (!['account', 'name', 'uid'].some((k) => user[k] !== undefined))
    problems.push(`${where} has no account, name or uid`);
  checkEnum(`${where}.type_id`, user.type_id, ENUMS.user_type_id, problems);
}

function checkMetadata(metadata: unknown, problems: string[]): void {
  if (!isObject(metadata)) return void problems.push('metadata is required');
  unknownKeys('metadata', metadata, OBJECT_ATTRIBUTES.metadata, problems);
  if (typeof metadata.version !== 'string' || !/^1\.\d+\.\d+/.test(metadata.version)) {
    problems.push('metadata.version (the OCSF version) is required, 1.x');
  }
  const product = metadata.product;
  if (!isObject(product)) return void problems.push('metadata.product is required');
  unknownKeys('metadata.product', product, OBJECT_ATTRIBUTES.product, problems);
  // product extends _entity: at_least_one of name, uid.
  if (typeof product.name !== 'string' && typeof product.uid !== 'string')
    problems.push('metadata.product has no name or uid');
}

function checkFindingParts(event: Json, problems: string[]): void {
  const info = event.finding_info;
  if (!isObject(info) || typeof info.uid !== 'string' || info.uid === '') problems.push('finding_info.uid is required');
  else unknownKeys('finding_info', info, OBJECT_ATTRIBUTES.finding_info, problems);
  const compliance = event.compliance;
  if (!isObject(compliance)) problems.push('compliance is required');
  else {
    unknownKeys('compliance', compliance, OBJECT_ATTRIBUTES.compliance, problems);
    checkEnum('compliance.status_id', compliance.status_id, ENUMS.compliance_status_id, problems);
    for (const key of ['standards', 'requirements']) {
      if (compliance[key] !== undefined && !isStrings(compliance[key]))
        problems.push(`compliance.${key} is not string[]`);
    }
  }
  if (event.remediation !== undefined) {
    const r = event.remediation;
    if (!isObject(r) || typeof r.desc !== 'string') problems.push('remediation.desc is required in a remediation');
    else unknownKeys('remediation', r, OBJECT_ATTRIBUTES.remediation, problems);
  }
  const resources = event.resources ?? [];
  if (!Array.isArray(resources)) return void problems.push('resources is not an array');
  for (const [i, r] of resources.entries()) {
    const where = `resources[${i}]`;
    if (!isObject(r)) {
      problems.push(`${where} is not an object`);
      continue;
    }
    unknownKeys(where, r, OBJECT_ATTRIBUTES.resource_details, problems);
    if (r.name === undefined && r.uid === undefined) problems.push(`${where} has no name or uid`);
    checkEnum(`${where}.role_id`, r.role_id, ENUMS.role_id, problems);
    if (r.owner !== undefined) checkUser(`${where}.owner`, r.owner, problems);
  }
}

/** Every way `event` departs from OCSF 1.8.0 Compliance Finding; empty when it fits. */
export function complianceFindingProblems(event: unknown): string[] {
  if (!isObject(event)) return ['event is not an object'];
  const problems: string[] = [];
  unknownKeys('event', event, EVENT_ATTRIBUTES, problems);
  if (event.class_uid !== 2003) problems.push('class_uid must be 2003 (Compliance Finding)');
  if (event.category_uid !== 2) problems.push('category_uid must be 2 (Findings)');
  checkEnum('activity_id', event.activity_id, ENUMS.activity_id, problems, true);
  if (!isInt(event.type_uid) || event.type_uid !== 2003 * 100 + Number(event.activity_id)) {
    problems.push('type_uid must be class_uid * 100 + activity_id');
  }
  checkEnum('severity_id', event.severity_id, ENUMS.severity_id, problems, true);
  checkEnum('status_id', event.status_id, ENUMS.status_id, problems);
  // timestamp_t: milliseconds since the epoch.
  if (!isInt(event.time) || event.time < 1e12) problems.push('time (ms since the epoch) is required');
  checkMetadata(event.metadata, problems);
  checkFindingParts(event, problems);
  return problems;
}
