// What an app's provisioning does, derived from what was read about it, so that each
// provisioning rule judges only the apps it is about. Org2Org apps are listed whatever their
// features (their connection is judged), yet many serve sign-in only, or import only
// (hub-and-spoke estates): see test/data/okta-recordings/apps/, five Org2Org apps of which one pushes.
import type { ProvisioningApp } from './inventory';

/** Application.features by which Okta pushes users to the app ("To App"). */
export const PUSH_FEATURES: readonly string[] = [
  'PUSH_NEW_USERS',
  'PUSH_PROFILE_UPDATES',
  'PUSH_USER_DEACTIVATION',
  'PUSH_PASSWORD_UPDATES',
  'REACTIVATE_USERS',
  'SCIM_PROVISIONING',
];

/** Application.features by which Okta imports users from the app ("To Okta"). */
export const IMPORT_FEATURES: readonly string[] = ['IMPORT_NEW_USERS', 'IMPORT_PROFILE_UPDATES', 'PROFILE_MASTERING'];

/**
 * Whether Okta pushes users to the app: by its features, or by the USER_PROVISIONING feature's
 * "Create Users" / "Deactivate Users" toggles when they were read. null: only the unread
 * features endpoint could tell.
 */
export function pushesUsers(app: ProvisioningApp): boolean | null {
  if (app.features.some((f) => PUSH_FEATURES.includes(f))) return true;
  const feature = app.userProvisioning;
  if (feature) {
    return (
      feature.status === 'ENABLED' &&
      (feature.lifecycleCreate === 'ENABLED' || feature.lifecycleDeactivate === 'ENABLED')
    );
  }
  // Okta answered that provisioning is not enabled (no features endpoint), or listed no USER_PROVISIONING.
  return app.featuresAvailable === null ? null : false;
}

/**
 * Whether the app's provisioning connection is in use: Okta pushes or imports users with it, or
 * it is enabled. null: what would tell was not read.
 */
export function usesProvisioningConnection(app: ProvisioningApp): boolean | null {
  if (app.features.some((f) => IMPORT_FEATURES.includes(f))) return true;
  if (app.connection?.available && app.connection.status === 'ENABLED') return true;
  const pushes = pushesUsers(app);
  if (pushes !== false) return pushes;
  return app.connection === null ? null : false;
}
