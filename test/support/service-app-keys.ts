import { generateServiceAppKey } from '../../fake-okta/server';

// A fresh RSA 2048 key costs about 180 ms of CPU. Tests need a key the fake org trusts and, at
// most, one it does not: each name is made once per worker (once per run in the projects that
// share modules, see vitest.config.mts) and handed out again.

export type ServiceAppKey = ReturnType<typeof generateServiceAppKey>;

/** `trusted`: the service app's own key. `stranger`: a second key, for forged or unknown signers. */
export type ServiceAppKeyName = 'trusted' | 'stranger';

const made = new Map<ServiceAppKeyName, ServiceAppKey>();

export function serviceAppKey(name: ServiceAppKeyName = 'trusted'): ServiceAppKey {
  let key = made.get(name);
  if (!key) {
    key = generateServiceAppKey();
    made.set(name, key);
  }
  return key;
}
