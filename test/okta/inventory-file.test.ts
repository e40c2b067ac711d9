import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Inventory } from '../../lambda/domain/inventory';
import { ConfigError } from '../../lambda/errors';
import { loadInventory, saveInventory } from '../../lambda/inventory-file';
import { collectInventory } from '../../lambda/okta/collect-inventory';
import { COLLECT, sswsClient, startOrg } from './fixtures';

describe('inventory files', () => {
  let dir: string;
  let inventory: Inventory;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'inventory-'));
    const okta = await startOrg();
    try {
      // One source failed, so the round trip carries a failure too.
      okta.fault({ route: '/api/v1/agentPools', fault: { kind: 'status', status: 403 } });
      inventory = await collectInventory(sswsClient(okta), COLLECT);
    } finally {
      await okta.close();
    }
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('loads back exactly the inventory that was saved', () => {
    const path = join(dir, 'scan.json');
    saveInventory(path, inventory);
    expect(loadInventory(path)).toEqual(inventory);
    expect(inventory.sources.agentPools.status).toBe('failed');
  });

  it('reads a file written before zones were read as one whose zones were not read', () => {
    const { networkZones: _zones, ...older } = structuredClone(inventory);
    delete (older.sources as Partial<Inventory['sources']>).zones;
    const path = join(dir, 'older.json');
    writeFileSync(path, JSON.stringify(older));
    const loaded = loadInventory(path);
    expect(loaded.sources.zones).toEqual({ status: 'skipped' });
    expect(loaded.networkZones).toBeUndefined();
  });

  it('reads a file written before token usage was read as one whose usage was not read', () => {
    const older = structuredClone(inventory);
    delete (older.sources as Partial<Inventory['sources']>).apiTokenUsage;
    delete older.apiTokenUsage;
    const path = join(dir, 'before-usage.json');
    writeFileSync(path, JSON.stringify(older));
    expect(loadInventory(path).sources.apiTokenUsage).toEqual({ status: 'skipped' });
  });

  it('refuses token usage that is not an object, naming the field', () => {
    expect(loadError(JSON.stringify({ ...inventory, apiTokenUsage: [] })).problems).toContain(
      'apiTokenUsage must be an object (token id -> usage) when present',
    );
  });

  function loadError(content: string): ConfigError {
    const path = join(dir, `bad-${Math.random().toString(36).slice(2)}.json`);
    writeFileSync(path, content);
    try {
      loadInventory(path);
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      return error as ConfigError;
    }
    throw new Error('expected loadInventory to fail');
  }

  it('refuses a file that is not JSON', () => {
    expect(loadError('{ nope').message).toMatch(/is not valid JSON/);
  });

  it('refuses another schemaVersion and says which one it reads', () => {
    const error = loadError(JSON.stringify({ ...inventory, schemaVersion: 2 }));
    expect(error.problems).toEqual(['schemaVersion is 2; this version reads schemaVersion 1']);
  });

  it('lists every shape problem at once', () => {
    const { users: _users, sources, ...rest } = inventory;
    const error = loadError(JSON.stringify({ ...rest, sources: { ...sources, owners: { status: 'maybe' } } }));
    expect(error.problems).toEqual([
      'sources.owners must be { status: complete | failed | skipped | unavailable }',
      'users must be an object',
    ]);
  });

  it('names a file that cannot be read', () => {
    expect(() => loadInventory(join(dir, 'absent.json'))).toThrow(
      /Cannot read inventory file .*absent\.json \(ENOENT\)/,
    );
  });
});
