import { describe, expect, it } from 'vitest';
import { agentUsesOAuth, compareVersions, isTokenBasedAgentVersion, parseVersion } from '../../lambda/domain/ad-agent';

describe('agent versions that depend on their installer', () => {
  it('treats versions before 3.18.0, and unknown ones, as token-based', () => {
    expect(['3.9.1', '3.17.2', '2.20.0', null, 'beta'].map(isTokenBasedAgentVersion)).toEqual([
      true,
      true,
      true,
      true,
      true,
    ]);
    expect(['3.18.0', '3.19.1', '4.0.0'].map(isTokenBasedAgentVersion)).toEqual([false, false, false]);
  });

  it('tells OAuth agents, token agents and unreadable versions apart', () => {
    expect(['3.18', '3.17.9.200', 'v3.20.1', 'latest', null].map(agentUsesOAuth)).toEqual([
      true,
      false,
      true,
      null,
      null,
    ]);
  });

  it('compares versions as numbers, segment by segment', () => {
    expect(compareVersions(parseVersion('3.9.1') ?? [], parseVersion('3.18.0') ?? [])).toBe(-1);
    expect(compareVersions([3, 18], [3, 18, 0])).toBe(0);
  });
});
