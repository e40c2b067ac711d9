import { describe, expect, it } from 'vitest';
import type { ProvisioningApp } from '../../lambda/domain/inventory';
import { listProvisioningApps, PROVISIONING_FEATURES, readProvisioning } from '../../lambda/okta/collectors/apps';
import { readAll } from '../../lambda/okta/paging';
import { asSent, plainObject } from '../../lambda/okta/sdk-values';
import { itemsOf, type Json, type Recording, successes } from './recordings';
import { withReplay } from './replay-client';

// Every recorded app, provisioning connection, app feature and app user goes through the
// collector that reads it, through the real SDK client, and comes out as recorded. Single
// objects (GET /apps/{id}, /features/{name}, /users/{userId}) are served as one-item lists at
// the list path the scanner reads.

const obj = (value: unknown): Json => (value ?? {}) as Json;
const appIdOf = (recording: Recording): string => recording.request.path.split('/')[4];

function provisioningApp(id: string, features: string[] = []): ProvisioningApp {
  return {
    id,
    name: 'recorded',
    label: 'Recorded app',
    status: 'ACTIVE',
    signOnMode: null,
    features,
    connection: null,
    userProvisioning: null,
    featuresAvailable: null,
    usersInError: null,
  };
}

describe('apps recordings through listProvisioningApps', () => {
  it.each(successes('apps').map((r) => [r.file, r] as const))('%s', async (_file, recording) => {
    // The scanner asks Okta for ACTIVE apps only; the replay answers as Okta would to that filter.
    const active = itemsOf(recording).filter((a) => a.status === 'ACTIVE');
    const links = Array.isArray(recording.response.body) ? recording.response.headers.Link : undefined;
    const { result, server } = await withReplay([{ path: '/api/v1/apps', body: active, links }], listProvisioningApps);
    expect(server.requests[0].query.get('filter')).toBe('status eq "ACTIVE"');
    for (const app of result) {
      const recorded = active.find((a) => a.id === app.id);
      expect(recorded, `${app.id} was not in the recording`).toBeDefined();
      expect(app).toMatchObject({
        name: recorded?.name,
        label: recorded?.label,
        status: recorded?.status,
        // null for directory and identity-source apps (README "Apps").
        signOnMode: recorded?.signOnMode,
        features: recorded?.features,
      });
    }
    const pushing = active.filter((a) => (a.features as string[]).some((f) => PROVISIONING_FEATURES.includes(f)));
    expect(result.map((a) => a.id)).toEqual(expect.arrayContaining(pushing.map((a) => a.id)));
  });

  // The app list is read as Okta sent it: through the SDK's models, an app whose signOnMode is
  // null (active_directory, csv_directory_v2, …) would lose its name, credentials and settings.
  it.each(successes('apps').map((r) => [r.file, r] as const))('%s: every app read whole', async (_file, recording) => {
    const apps = itemsOf(recording);
    const { result } = await withReplay([{ path: '/api/v1/apps', body: apps }], async (client) =>
      readAll('apps', asSent(await client.sdk.applicationApi.listApplications({ limit: 200 }))),
    );
    expect(result.map(plainObject)).toEqual(apps);
  });
});

describe('app-connections recordings through readProvisioning', () => {
  it.each(successes('app-connections').map((r) => [r.file, r] as const))('%s', async (_file, recording) => {
    const body = obj(recording.response.body);
    const app = provisioningApp(appIdOf(recording));
    await withReplay([{ path: recording.request.path, body }], (client) => readProvisioning(client, [app]));
    expect(app.connection).toEqual({
      available: true,
      status: body.status,
      authScheme: body.authScheme ?? obj(body.profile).authScheme,
      baseUrl: body.baseUrl ?? null,
    });
  });
});

describe('app-features recordings through readProvisioning', () => {
  it.each(successes('app-features').map((r) => [r.file, r] as const))('%s', async (_file, recording) => {
    const feature = obj(recording.response.body);
    const app = provisioningApp(appIdOf(recording));
    const path = `/api/v1/apps/${app.id}/features`;
    await withReplay([{ path, body: [feature] }], (client) => readProvisioning(client, [app]));
    expect(app.featuresAvailable).toBe(true);
    const capabilities = obj(feature.capabilities);
    const update = obj(capabilities.update);
    expect(app.userProvisioning).toEqual(
      feature.name === 'USER_PROVISIONING'
        ? {
            status: feature.status,
            lifecycleCreate: obj(obj(capabilities.create).lifecycleCreate).status ?? null,
            lifecycleDeactivate: obj(update.lifecycleDeactivate).status ?? null,
          }
        : null,
    );
  });
});

describe('app-users recordings through readProvisioning', () => {
  it.each(successes('app-users').map((r) => [r.file, r] as const))('%s', async (_file, recording) => {
    const users = itemsOf(recording);
    // Only the users of an app that pushes users are read (an SSO-only app's are not).
    const app = provisioningApp(appIdOf(recording), ['PUSH_NEW_USERS']);
    const path = `/api/v1/apps/${app.id}/users`;
    const links = Array.isArray(recording.response.body) ? recording.response.headers.Link : undefined;
    const { server } = await withReplay([{ path, body: users, links }], (client) => readProvisioning(client, [app]));
    expect(server.requests.some((r) => r.path === path)).toBe(true);
    // Only users in sync error are kept; the recorded ones (externalId null, syncState DISABLED) are not.
    expect(app.usersInError).toEqual(
      users
        .filter((u) => u.syncState === 'ERROR')
        .map((u) => ({
          userId: u.id,
          status: u.status,
          syncState: 'ERROR',
          userName: obj(u.credentials).userName ?? null,
        })),
    );
  });
});
