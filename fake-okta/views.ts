import type { Json } from './types';

// Fields and links real Okta adds to apps, users and groups that fixtures need not spell out,
// in the shapes recorded from real orgs (test/data/okta-recordings/README.md).

/** The fake org's id in ORNs, like Okta's `00o…` org ids. */
const ORG_ID = '00o1fakeOktaOrg00001';
const LOGO_CDN = 'https://op3static.oktacdn.com/assets/img/logos';

type Link = { href: string; method?: string; hints?: { allow: string[] }; name?: string; type?: string };

/** Lifecycle operations Okta links on a single user, by status (README "Users"). */
const USER_LIFECYCLE: Record<string, string[]> = {
  STAGED: ['activate'],
  PROVISIONED: ['reactivate', 'resetPassword', 'suspend', 'deactivate'],
  ACTIVE: [
    'resetPassword',
    'expirePassword',
    'forgotPassword',
    'changePassword',
    'changeRecoveryQuestion',
    'suspend',
    'deactivate',
  ],
  RECOVERY: ['resetPassword', 'suspend', 'deactivate'],
  PASSWORD_EXPIRED: ['resetPassword', 'suspend', 'deactivate'],
  LOCKED_OUT: ['unlock', 'resetPassword', 'suspend', 'deactivate'],
  SUSPENDED: ['unsuspend', 'deactivate'],
  DEPROVISIONED: ['activate', 'delete'],
};

const snake = (name: string): string => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/**
 * A user's `_links`: only `self` in lists; a single GET adds the lifecycle operations its
 * status allows, each with a `method`, plus `schema`, `type` and `resetFactors`.
 */
export function userLinks(baseUrl: string, user: Json, single: boolean): Json {
  const href = `${baseUrl}/api/v1/users/${String(user.id)}`;
  if (!single) return { self: { href } };
  const typeId = String((user.type as Json | undefined)?.id ?? 'oty1fakeDefaultUserTy');
  const links: Record<string, Link> = {
    self: { href },
    schema: { href: `${baseUrl}/api/v1/meta/schemas/user/osc${typeId.slice(3)}` },
    type: { href: `${baseUrl}/api/v1/meta/types/user/${typeId}` },
    resetFactors: { href: `${href}/lifecycle/reset_factors`, method: 'POST' },
  };
  for (const op of USER_LIFECYCLE[String(user.status)] ?? []) {
    links[op] =
      op === 'delete' ? { href, method: 'DELETE' } : { href: `${href}/lifecycle/${snake(op)}`, method: 'POST' };
  }
  return links;
}

export function groupLinks(baseUrl: string, groupId: string): Json {
  const href = `${baseUrl}/api/v1/groups/${groupId}`;
  return {
    logo: ['medium', 'large'].map((size) => ({
      name: size,
      href: `${LOGO_CDN}/groups/odyssey/okta-${size}.png`,
      type: 'image/png',
    })),
    users: { href: `${href}/users` },
    apps: { href: `${href}/apps` },
  };
}

function appLinks(baseUrl: string, app: Json): Json {
  const id = String(app.id);
  const href = `${baseUrl}/api/v1/apps/${id}`;
  const links: Record<string, Link | Link[]> = {
    self: { href },
    uploadLogo: { href: `${href}/logo`, hints: { allow: ['POST'] } },
    appLinks: [{ name: 'login', href: `${baseUrl}/home/${String(app.name)}/${id}/1`, type: 'text/html' }],
    logo: [{ name: 'medium', href: `${LOGO_CDN}/${String(app.name)}-medium.png`, type: 'image/png' }],
    users: { href: `${href}/users` },
    groups: { href: `${href}/groups` },
    // Identity Engine orgs link every app to its policies (README, first paragraph).
    accessPolicy: { href: `${baseUrl}/api/v1/policies/rst1fakeDefaultAccess` },
    policies: { href: `${href}/policies`, hints: { allow: ['PUT'] } },
    profileEnrollment: { href: `${baseUrl}/api/v1/policies/rst1fakeDefaultEnroll` },
  };
  if (app.status === 'ACTIVE') links.deactivate = { href: `${href}/lifecycle/deactivate` };
  else links.activate = { href: `${href}/lifecycle/activate` };
  if (app.signOnMode === 'SAML_2_0' || app.signOnMode === 'SAML_1_1') {
    links.metadata = { href: `${href}/sso/saml/metadata`, type: 'application/xml' };
    links.help = {
      href: `${baseUrl}/app/${String(app.name)}/${id}/setup/help/SAML_2_0/instructions`,
      type: 'text/html',
    };
  }
  if (app.signOnMode === 'OPENID_CONNECT') {
    links.clientCredentials = [{ name: 'secrets', href: `${href}/credentials/secrets` }];
  }
  return links;
}

/** An app as Okta answers it: ORN, null redirect URLs, autoLaunch, universalLogout and links. */
export function appView(baseUrl: string, app: Json): Json {
  const accessibility = (app.accessibility ?? {}) as Json;
  const visibility = (app.visibility ?? {}) as Json;
  return {
    id: app.id,
    orn: `orn:okta:idp:${ORG_ID}:apps:${String(app.name)}:${String(app.id)}`,
    ...app,
    accessibility: { errorRedirectUrl: null, loginRedirectUrl: null, ...accessibility },
    visibility: { autoLaunch: false, ...visibility, appLinks: { login: true, ...(visibility.appLinks as Json) } },
    universalLogout: app.universalLogout ?? null,
    _links: app._links ?? appLinks(baseUrl, app),
  };
}
