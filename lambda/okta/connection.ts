import { z } from 'zod';
import { CredentialsError } from '../errors';

// How the scanner reaches an org: an SSWS API token, or (preferred, no person behind it)
// an OAuth 2.0 service app with private_key_jwt. See ../shared/interfaces.md, "Connection".

export type OktaAuth =
  | { kind: 'token'; token: string }
  | { kind: 'privateKey'; clientId: string; privateKey: string; keyId?: string };

export interface OktaConnection {
  /** Normalised origin, e.g. https://acme.okta.com (no trailing slash). */
  orgUrl: string;
  auth: OktaAuth;
}

function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '');
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}

/** `https://` required; `http://` only for loopback hosts. Returns the origin. */
export function parseOrgUrl(value: string, field = 'org URL'): string {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    throw new CredentialsError(`${field} "${value}" is not a URL: give it as https://<your-org>.okta.com`);
  }
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    throw new CredentialsError(
      `${field} must use https:// (http:// is accepted only for loopback hosts such as 127.0.0.1): got ${url.origin}`,
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new CredentialsError(`${field} must use https://: got ${url.protocol}//${url.host}`);
  }
  if (url.username || url.password) {
    throw new CredentialsError(`${field} must not contain credentials`);
  }
  if (url.pathname !== '/' || url.search) {
    throw new CredentialsError(`${field} must be the org's base URL with no path: use ${url.origin}`);
  }
  return url.origin;
}

export function orgHost(orgUrl: string): string {
  return new URL(orgUrl).host;
}

const secretSchema = z.union([
  z.strictObject({ orgUrl: z.string().min(1), apiToken: z.string().min(1) }),
  z.strictObject({
    orgUrl: z.string().min(1),
    clientId: z.string().min(1),
    privateKey: z.string().min(1),
    keyId: z.string().min(1).optional(),
  }),
]);

/**
 * Parses the Secrets Manager secret. Errors name fields, never values: the secret text
 * itself must not reach a log line.
 */
export function parseOktaSecret(secretString: string | undefined): OktaConnection {
  if (!secretString)
    throw new CredentialsError(
      'The Okta secret is empty: put {"orgUrl", "apiToken"} or {"orgUrl", "clientId", "privateKey", "keyId"} in it',
    );
  let value: unknown;
  try {
    value = JSON.parse(secretString);
  } catch {
    throw new CredentialsError('The Okta secret is not valid JSON (its value is not shown)');
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw new CredentialsError('The Okta secret must be a JSON object');
  }
  const parsed = secretSchema.safeParse(value);
  if (!parsed.success) {
    const keys = Object.keys(value);
    const allowed = ['orgUrl', 'apiToken', 'clientId', 'privateKey', 'keyId'];
    const unexpected = keys.filter((k) => !allowed.includes(k));
    const problems: string[] = [];
    if (unexpected.length > 0) problems.push(`unexpected field(s): ${unexpected.join(', ')}`);
    if (!keys.includes('orgUrl')) problems.push('missing field: orgUrl');
    if (keys.includes('apiToken') && keys.includes('clientId'))
      problems.push('give either apiToken or clientId + privateKey, not both');
    else if (!keys.includes('apiToken') && !keys.includes('clientId'))
      problems.push('missing field: apiToken (or clientId + privateKey)');
    else if (keys.includes('clientId') && !keys.includes('privateKey')) problems.push('missing field: privateKey');
    if (problems.length === 0) problems.push('fields must be non-empty strings');
    throw new CredentialsError(`The Okta secret does not fit: ${problems.join('; ')}`);
  }
  const secret = parsed.data;
  // Not a URL at all: likely a token or key put in the wrong field, so it is not quoted.
  if (!URL.canParse(secret.orgUrl.trim())) {
    throw new CredentialsError(
      'orgUrl in the Okta secret is not a URL (its value is not shown): give it as https://<your-org>.okta.com',
    );
  }
  const orgUrl = parseOrgUrl(secret.orgUrl, 'orgUrl in the Okta secret');
  if ('apiToken' in secret) return { orgUrl, auth: { kind: 'token', token: secret.apiToken } };
  return {
    orgUrl,
    auth: { kind: 'privateKey', clientId: secret.clientId, privateKey: secret.privateKey, keyId: secret.keyId },
  };
}
