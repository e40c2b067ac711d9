// The people JSON of interfaces.md ("People", schemaVersion 1), checked by hand so a test names what is off.

const PEOPLE_KEYS = ['schemaVersion', 'org', 'generatedAt', 'status', 'people'];
const PERSON_KEYS = ['id', 'login', 'kind', 'status', 'lastLogin', 'leaving', 'breaks', 'integrations'];
const INTEGRATION_KEYS = ['type', 'id', 'name', 'ruleIds', 'severity'];
const BREAKS = ['critical', 'high', 'medium', 'low'];
const TYPES = ['api_token', 'ad_agent', 'workflows_connection', 'app_provisioning'];

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function exactKeys(value: Record<string, unknown>, keys: string[], where: string): string[] {
  const problems = keys.filter((k) => !(k in value)).map((k) => `${where}: missing ${k}`);
  for (const key of Object.keys(value)) if (!keys.includes(key)) problems.push(`${where}: unexpected key ${key}`);
  return problems;
}

function personProblems(p: Record<string, unknown>, where: string): string[] {
  const problems = exactKeys(p, PERSON_KEYS, where);
  if (typeof p.id !== 'string') problems.push(`${where}: id`);
  if (!['human', 'service', 'unknown'].includes(String(p.kind))) problems.push(`${where}: kind ${String(p.kind)}`);
  if (p.leaving !== null && !(isObject(p.leaving) && typeof p.leaving.reason === 'string')) {
    problems.push(`${where}: leaving`);
  }
  const breaks = isObject(p.breaks) ? p.breaks : {};
  problems.push(...exactKeys(breaks, BREAKS, `${where}.breaks`));
  const integrations = Array.isArray(p.integrations) ? p.integrations : [];
  if (integrations.length === 0) problems.push(`${where}: no integrations`);
  for (const i of integrations) {
    if (!isObject(i)) {
      problems.push(`${where}: integration is not an object`);
      continue;
    }
    problems.push(...exactKeys(i, INTEGRATION_KEYS, `${where} ${String(i.id)}`));
    if (!TYPES.includes(String(i.type))) problems.push(`${where}: type ${String(i.type)}`);
    if (!Array.isArray(i.ruleIds)) problems.push(`${where}: ruleIds`);
  }
  for (const severity of BREAKS) {
    const count = integrations.filter((i) => isObject(i) && i.severity === severity).length;
    if (breaks[severity] !== count) problems.push(`${where}: breaks.${severity} != ${count}`);
  }
  return problems;
}

/** Every way `value` departs from the people schema; empty when it fits. */
export function peopleSchemaProblems(value: unknown): string[] {
  if (!isObject(value)) return ['people report is not an object'];
  const problems = exactKeys(value, PEOPLE_KEYS, 'people report');
  if (value.schemaVersion !== 1) problems.push('schemaVersion is not 1');
  if (value.status !== 'complete' && value.status !== 'incomplete') problems.push(`status ${String(value.status)}`);
  const people = Array.isArray(value.people) ? value.people : [];
  people.forEach((p, i) => {
    if (isObject(p)) problems.push(...personProblems(p, `person ${i + 1}`));
    else problems.push(`person ${i + 1} is not an object`);
  });
  return problems;
}
