import { describe, expect, it } from 'vitest';
import { SOURCE_NAMES, withDependencies } from '../../lambda/domain/inventory';

describe('sources read through another', () => {
  it('bring in the app list for provisioning, and the owners for their groups and roles', () => {
    expect([...withDependencies(['provisioning'])].sort()).toEqual(['apps', 'provisioning']);
    expect([...withDependencies(['ownerGroups', 'ownerRoles'])].sort()).toEqual([
      'ownerGroups',
      'ownerRoles',
      'owners',
    ]);
  });

  it('bring in nothing else: a source read on its own stays alone', () => {
    for (const source of ['apiTokens', 'agentPools', 'workflowsEvents'] as const) {
      expect([...withDependencies([source])]).toEqual([source]);
    }
    expect(withDependencies(SOURCE_NAMES).size).toBe(SOURCE_NAMES.length);
  });
});
