import { createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { CredentialsError } from '../errors';
import { type OktaAuth, type OktaConnection, parseOrgUrl } from '../okta/connection';
import type { Redactor } from '../redact';
import { type CommandLine, envValue, flagValue } from './args';

// Which org and which credentials a scan uses, from flags and environment variables, checked
// before the first request (exit 2). Every secret read is handed to the redactor first.

function checkPrivateKey(text: string, origin: string): void {
  try {
    const trimmed = text.trim();
    if (trimmed.startsWith('{')) createPrivateKey({ key: JSON.parse(trimmed), format: 'jwk' });
    else createPrivateKey(trimmed);
  } catch {
    // The key text is never quoted back.
    throw new CredentialsError(
      `${origin} does not hold a usable private key: give the service app's private key as PEM (PKCS#1 or PKCS#8) or JWK`,
    );
  }
}

interface Inputs {
  values: CommandLine['values'];
  env: NodeJS.ProcessEnv;
  cwd: string;
  redactor: Redactor;
}

/** Token or service app: a flag decides, else the environment; both at one level is refused. */
function authMode({ values, env }: Inputs): 'token' | 'privateKey' {
  const tokenFlag = flagValue(values, 'token');
  const oauthFlag = flagValue(values, 'client-id') ?? flagValue(values, 'private-key-file');
  if (tokenFlag !== undefined && oauthFlag !== undefined) {
    throw new CredentialsError(
      'Give either --token or --client-id with --private-key-file, not both (prefer the OAuth service app)',
    );
  }
  if (tokenFlag !== undefined) return 'token';
  if (oauthFlag !== undefined) return 'privateKey';
  const tokenEnv = envValue(env, 'OKTA_API_TOKEN') !== undefined;
  const clientEnv = envValue(env, 'OKTA_CLIENT_ID') !== undefined;
  if (tokenEnv && clientEnv) {
    throw new CredentialsError(
      'Both OKTA_API_TOKEN and OKTA_CLIENT_ID are set: unset one, or choose with --token / --client-id',
    );
  }
  if (!tokenEnv && !clientEnv) {
    throw new CredentialsError(
      'No credentials: give --client-id and --private-key-file (an OAuth service app, preferred) or --token (or set OKTA_CLIENT_ID and OKTA_PRIVATE_KEY, or OKTA_API_TOKEN)',
    );
  }
  return tokenEnv ? 'token' : 'privateKey';
}

/** The private key's text and where it came from (for messages; the text is never quoted). */
function readPrivateKey({ values, env, cwd }: Inputs): { privateKey: string; origin: string } {
  const keyFile = flagValue(values, 'private-key-file');
  if (keyFile !== undefined) {
    try {
      return { privateKey: readFileSync(resolve(cwd, keyFile), 'utf8'), origin: `--private-key-file ${keyFile}` };
    } catch (cause) {
      throw new CredentialsError(
        `Cannot read --private-key-file ${keyFile}: ${(cause as NodeJS.ErrnoException).code ?? 'unreadable'}; give the path of the service app's private key`,
      );
    }
  }
  const fromEnv = envValue(env, 'OKTA_PRIVATE_KEY');
  if (fromEnv === undefined) {
    throw new CredentialsError(
      '--client-id needs the service app private key: give --private-key-file FILE (or set OKTA_PRIVATE_KEY to the key text)',
    );
  }
  return { privateKey: fromEnv, origin: 'OKTA_PRIVATE_KEY' };
}

function resolveAuth(inputs: Inputs): OktaAuth {
  const { values, env, redactor } = inputs;
  if (authMode(inputs) === 'token') {
    const token = (flagValue(values, 'token') ?? envValue(env, 'OKTA_API_TOKEN') ?? '').trim();
    redactor.add(token);
    if (token === '') throw new CredentialsError('--token is empty: give the SSWS API token');
    return { kind: 'token', token };
  }
  const clientId = flagValue(values, 'client-id') ?? envValue(env, 'OKTA_CLIENT_ID');
  if (clientId === undefined) {
    throw new CredentialsError('--private-key-file needs --client-id (or OKTA_CLIENT_ID): the service app client id');
  }
  const { privateKey, origin } = readPrivateKey(inputs);
  redactor.add(privateKey);
  checkPrivateKey(privateKey, origin);
  const keyId = flagValue(values, 'key-id') ?? envValue(env, 'OKTA_KEY_ID');
  return { kind: 'privateKey', clientId, privateKey: privateKey.trim(), ...(keyId ? { keyId } : {}) };
}

/** Flags win over environment variables; mixing the two auth modes at one level is refused. */
export function resolveConnection(
  values: CommandLine['values'],
  env: NodeJS.ProcessEnv,
  cwd: string,
  redactor: Redactor,
): OktaConnection {
  const rawUrl = flagValue(values, 'org-url') ?? envValue(env, 'OKTA_ORG_URL');
  if (rawUrl === undefined) {
    throw new CredentialsError(
      'No org URL: give --org-url https://<your-org>.okta.com (or set OKTA_ORG_URL), or try --demo',
    );
  }
  const orgUrl = parseOrgUrl(rawUrl, flagValue(values, 'org-url') !== undefined ? '--org-url' : 'OKTA_ORG_URL');
  return { orgUrl, auth: resolveAuth({ values, env, cwd, redactor }) };
}
