import { mapLimited } from '../../concurrency';
import type {
  AppUserInError,
  ProvisioningApp,
  ProvisioningConnection,
  SourceName,
  SourceState,
  UserProvisioningFeature,
} from '../../domain/inventory';
import { SOURCE_SCOPES } from '../../domain/inventory';
import { PUSH_FEATURES, pushesUsers } from '../../domain/provisioning';
import type { OktaClient } from '../client';
import { describeOktaError, httpStatusOf, isFeatureUnavailable } from '../describe-okta-error';
import { readAll } from '../paging';
import { asSent, obj, plainObject, str } from '../sdk-values';

/** GET /api/v1/apps, then per provisioning app its connection, features and users (okta.apps.read). */
export const APP_SOURCES: readonly SourceName[] = ['apps', 'provisioning'];

/** Application.features that mean Okta pushes users to the app. */
export const PROVISIONING_FEATURES: readonly string[] = PUSH_FEATURES;

// Every /api/v1/apps* call shares one 100/min bucket; the executor also caps it at 2 in flight.
const APPS_AT_A_TIME = 4;

export interface AppsResult {
  apps: ProvisioningApp[];
  provisioning: SourceState;
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/**
 * Okta answers 400/404 for apps it has no such endpoint for, and 401 E0000015 where the org lacks
 * the feature: that is "not available", not a failure.
 */
function isNotAvailable(error: unknown): boolean {
  const status = httpStatusOf(error);
  return status === 400 || status === 404 || isFeatureUnavailable(error);
}

/** Lists ACTIVE apps and keeps those that push users, and every Org2Org app (its connection is judged). */
export async function listProvisioningApps(client: OktaClient): Promise<ProvisioningApp[]> {
  // Filtered server-side: inactive apps push nothing, and Okta leaves their assignments alone
  // when a user is deactivated.
  const apps = await readAll(
    'apps',
    asSent(await client.sdk.applicationApi.listApplications({ filter: 'status eq "ACTIVE"', limit: 200 })),
  );
  const result: ProvisioningApp[] = [];
  for (const app of apps) {
    const a = plainObject(app);
    const features = strings(a.features);
    const name = str(a.name) ?? '';
    if (name !== 'okta_org2org' && !features.some((f) => PROVISIONING_FEATURES.includes(f))) continue;
    result.push({
      id: str(a.id) ?? '',
      name,
      label: str(a.label) ?? name,
      status: str(a.status) ?? '',
      signOnMode: str(a.signOnMode),
      features,
      connection: null,
      userProvisioning: null,
      featuresAvailable: null,
      usersInError: null,
    });
  }
  return result;
}

async function readConnection(client: OktaClient, appId: string): Promise<ProvisioningConnection> {
  try {
    const response = plainObject(
      await client.sdk.applicationApi.getDefaultProvisioningConnectionForApplication({ appId }),
    );
    const profile = obj(response.profile);
    return {
      available: true,
      status: str(response.status) ?? 'UNKNOWN',
      // Top-level authScheme is only sent for TOKEN; the profile always carries it.
      authScheme: str(response.authScheme) ?? str(profile?.authScheme) ?? 'UNKNOWN',
      baseUrl: str(response.baseUrl),
    };
  } catch (error) {
    if (isNotAvailable(error)) return { available: false };
    throw error;
  }
}

async function readUserProvisioning(
  client: OktaClient,
  appId: string,
): Promise<{ available: boolean; feature: UserProvisioningFeature | null }> {
  try {
    const features = await readAll(
      'app features',
      await client.sdk.applicationApi.listFeaturesForApplication({ appId }),
    );
    const feature = features.map(plainObject).find((f) => f.name === 'USER_PROVISIONING');
    if (!feature) return { available: true, feature: null };
    const capabilities = obj(feature.capabilities);
    const update = obj(capabilities?.update);
    return {
      available: true,
      feature: {
        status: str(feature.status) ?? 'UNKNOWN',
        lifecycleCreate: str(obj(obj(capabilities?.create)?.lifecycleCreate)?.status),
        lifecycleDeactivate: str(obj(update?.lifecycleDeactivate)?.status),
      },
    };
  } catch (error) {
    // "Returns an error if provisioning isn't enabled for the app" (400), or no such endpoint.
    if (isNotAvailable(error)) return { available: false, feature: null };
    throw error;
  }
}

async function readUsersInError(client: OktaClient, appId: string): Promise<AppUserInError[]> {
  // No server-side filter on syncState exists: read every app user, keep the ERROR ones.
  const users = await readAll('app users', await client.sdk.applicationApi.listApplicationUsers({ appId, limit: 500 }));
  return users
    .map(plainObject)
    .filter((u) => u.syncState === 'ERROR')
    .map((u) => ({
      userId: str(u.id) ?? '',
      status: str(u.status) ?? '',
      syncState: 'ERROR',
      userName: str(obj(u.credentials)?.userName),
    }));
}

/**
 * Fills in each app's connection, USER_PROVISIONING feature and users in sync error. A failed
 * read leaves that field null on that app and makes the provisioning source failed; the other
 * apps and reads go on.
 */
export async function readProvisioning(client: OktaClient, apps: ProvisioningApp[]): Promise<SourceState> {
  const failures: string[] = [];
  const requiredScope = SOURCE_SCOPES.provisioning;
  const attempt = async <T>(app: ProvisioningApp, what: string, read: () => Promise<T>): Promise<T | null> => {
    try {
      return await read();
    } catch (error) {
      failures.push(`${app.label} (${app.id}) ${what}: ${describeOktaError(error, requiredScope)}`);
      return null;
    }
  };
  await mapLimited(apps, APPS_AT_A_TIME, async (app) => {
    app.connection = await attempt(app, 'provisioning connection', () => readConnection(client, app.id));
    const features = await attempt(app, 'features', () => readUserProvisioning(client, app.id));
    app.featuresAvailable = features ? features.available : null;
    app.userProvisioning = features ? features.feature : null;
    // An app Okta pushes no users to has no deactivation to miss: its users (often everyone,
    // for sign-in) are not read.
    if (pushesUsers(app) === false) return;
    app.usersInError = await attempt(app, 'app users', () => readUsersInError(client, app.id));
  });
  if (failures.length === 0) return { status: 'complete' };
  const shown = failures.slice(0, 3).join('; ');
  const more = failures.length > 3 ? `; … and ${failures.length - 3} more` : '';
  return {
    status: 'failed',
    reason: `${failures.length} provisioning read${failures.length > 1 ? 's' : ''} failed: ${shown}${more}`,
    requiredScope,
  };
}
