import type { ScannerConfig } from './config';

// STUB (replaced by the orch-cdk branch's version at merge).
export interface ResolvedOrg {
  name: string;
  secret: string;
  config: ScannerConfig;
}

export function resolveOrgs(config: ScannerConfig, defaultSecret: string): ResolvedOrg[] {
  return [{ name: 'default', secret: defaultSecret, config }];
}
