import { readFileSync, writeFileSync } from 'node:fs';
import { type Inventory, SOURCE_NAMES } from './domain/inventory';
import { ConfigError } from './errors';

// An inventory is plain data: saved, it can be replayed through the rules offline.

export function saveInventory(path: string, inventory: Inventory): void {
  writeFileSync(path, `${JSON.stringify(inventory, null, 2)}\n`, 'utf8');
}

const ARRAY_FIELDS = [
  'apiTokens',
  'agentPools',
  'provisioningApps',
  'workflowsConnections',
  'provisioningAuthFailures',
  'deactivationPushFailures',
  'missingUserIds',
] as const;
const RECORD_FIELDS = ['provisioningAuthorizations', 'agentRegistrations', 'apiTokenCreations', 'users'] as const;
const SOURCE_STATUSES = ['complete', 'failed', 'skipped', 'unavailable'];
/** Sources added after schemaVersion 1 files were first written: absent from a file means not read. */
const LATER_SOURCES: readonly string[] = ['zones', 'apiTokenUsage'];

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads an inventory file; ConfigError listing every problem when it is not one this version can replay. */
export function loadInventory(path: string): Inventory {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as { code?: string }).code;
    throw new ConfigError(`Cannot read inventory file ${path}${code ? ` (${code})` : ''}`, [], { cause: error });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`Inventory file ${path} is not valid JSON`, [(error as Error).message], { cause: error });
  }
  if (!isRecord(value))
    throw new ConfigError(`Inventory file ${path} does not hold an inventory`, ['expected a JSON object']);
  if (value.schemaVersion !== 1) {
    throw new ConfigError(`Inventory file ${path} has an unsupported schemaVersion`, [
      `schemaVersion is ${JSON.stringify(value.schemaVersion) ?? 'missing'}; this version reads schemaVersion 1`,
    ]);
  }
  const problems: string[] = [];
  for (const field of ['org', 'collectedAt'] as const) {
    if (typeof value[field] !== 'string') problems.push(`${field} must be a string`);
  }
  const window = value.logWindow;
  if (!isRecord(window) || typeof window.since !== 'string' || typeof window.until !== 'string') {
    problems.push('logWindow must be { since, until } with ISO strings');
  }
  if (!isRecord(value.sources)) {
    problems.push('sources must be an object');
  } else {
    for (const name of SOURCE_NAMES) {
      if (LATER_SOURCES.includes(name) && value.sources[name] === undefined)
        value.sources[name] = { status: 'skipped' };
      const state = value.sources[name];
      if (!isRecord(state) || !SOURCE_STATUSES.includes(state.status as string)) {
        problems.push(`sources.${name} must be { status: complete | failed | skipped | unavailable }`);
      } else if (state.status === 'unavailable' && typeof state.reason !== 'string') {
        problems.push(`sources.${name} is unavailable but lacks its reason`);
      } else if (
        state.status === 'failed' &&
        (typeof state.reason !== 'string' || typeof state.requiredScope !== 'string')
      ) {
        problems.push(`sources.${name} is failed but lacks its reason or requiredScope`);
      }
    }
  }
  for (const field of ARRAY_FIELDS) if (!Array.isArray(value[field])) problems.push(`${field} must be an array`);
  for (const field of RECORD_FIELDS) if (!isRecord(value[field])) problems.push(`${field} must be an object`);
  if (value.apiTokenUsage !== undefined && !isRecord(value.apiTokenUsage)) {
    problems.push('apiTokenUsage must be an object (token id -> usage) when present');
  }
  if (problems.length > 0) throw new ConfigError(`Inventory file ${path} is not a valid inventory`, problems);
  return value as unknown as Inventory;
}
