import demo from './orgs/demo.json';
import type { FakeOrgFixture } from './types';

// Org fixtures are imported (not read from disk) so they survive bundling with the CLI.
const ORGS = { demo } as const;

export type OrgName = keyof typeof ORGS;

/** A fresh deep copy of a named fixture: tests may change it freely. */
export function loadOrg(name: OrgName): FakeOrgFixture {
  return structuredClone(ORGS[name]) as unknown as FakeOrgFixture;
}
