import { createHash, createPublicKey, generateKeyPairSync, randomBytes, verify } from 'node:crypto';
import { oauthError, type Reply } from './reply';
import type { FakeCredentials, Json } from './types';

// Who is calling: an SSWS API token from the credentials, or an access token this server issued
// at /oauth2/v1/token to a service app that proved itself with a private_key_jwt assertion.

export type AuthKind = 'SSWS' | 'Bearer' | 'DPoP' | 'none';

export interface Principal {
  kind: Exclude<AuthKind, 'none'>;
  /** null: an SSWS token without a scope list may read everything. */
  scopes: Set<string> | null;
}

export function authKindOf(header: string | undefined): AuthKind {
  const scheme = header?.split(' ')[0];
  return scheme === 'SSWS' || scheme === 'Bearer' || scheme === 'DPoP' ? scheme : 'none';
}

/** A `.manage` scope includes its `.read`, as in Okta. */
export function hasScope(principal: Principal, scope: string): boolean {
  if (principal.scopes === null) return true;
  return principal.scopes.has(scope) || principal.scopes.has(scope.replace(/\.read$/, '.manage'));
}

const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
const TOKEN_LIFETIME_S = 3600;
// Okta refuses client assertions that expire more than an hour ahead.
const MAX_ASSERTION_LIFETIME_S = 3600;

interface IssuedToken {
  clientId: string;
  scopes: Set<string>;
  expiresAt: number;
}

export class Authenticator {
  private readonly issued = new Map<string, IssuedToken>();
  private readonly usedJtis = new Set<string>();

  constructor(private readonly credentials: FakeCredentials) {}

  authenticate(header: string | undefined, now: number): Principal | null {
    const kind = authKindOf(header);
    const value = header?.slice(kind.length + 1).trim() ?? '';
    if (kind === 'SSWS') {
      const token = this.credentials.apiTokens?.find((t) => t.token === value);
      return token ? { kind, scopes: token.scopes ? new Set(token.scopes) : null } : null;
    }
    if (kind === 'Bearer' || kind === 'DPoP') {
      const issued = this.issued.get(value);
      return issued && issued.expiresAt > now ? { kind, scopes: issued.scopes } : null;
    }
    return null;
  }

  /** POST /oauth2/v1/token: client credentials with a private_key_jwt client assertion. The DPoP header is ignored. */
  token(form: URLSearchParams, tokenUrl: string, now: number): Reply {
    if (form.get('grant_type') !== 'client_credentials') {
      return oauthError(400, 'unsupported_grant_type', 'The grant type is not supported by the authorization server.');
    }
    if (form.get('client_assertion_type') !== ASSERTION_TYPE || !form.get('client_assertion')) {
      return oauthError(401, 'invalid_client', 'Client authentication failed: a client_assertion is required.');
    }
    const verdict = this.verifyAssertion(form.get('client_assertion')!, tokenUrl, now);
    if (typeof verdict === 'string') return oauthError(401, 'invalid_client', verdict);
    const clientIdParam = form.get('client_id');
    if (clientIdParam && clientIdParam !== verdict.clientId) {
      return oauthError(401, 'invalid_client', 'The client_id does not match the client_assertion.');
    }
    const requested = (form.get('scope') ?? '').split(' ').filter(Boolean);
    if (requested.length === 0) {
      return oauthError(
        400,
        'invalid_scope',
        "The authorization server resource does not have any configured default scopes, 'scope' must be provided.",
      );
    }
    if (requested.some((s) => !verdict.scopes.includes(s))) {
      return oauthError(
        400,
        'invalid_scope',
        'One or more scopes are not configured for the authorization server resource.',
      );
    }
    const accessToken = `fake_at.${randomBytes(24).toString('base64url')}`;
    this.issued.set(accessToken, {
      clientId: verdict.clientId,
      scopes: new Set(requested),
      expiresAt: now + TOKEN_LIFETIME_S * 1000,
    });
    return {
      status: 200,
      body: {
        token_type: 'Bearer',
        expires_in: TOKEN_LIFETIME_S,
        access_token: accessToken,
        scope: requested.join(' '),
      },
      headers: { 'cache-control': 'no-store', pragma: 'no-cache' },
    };
  }

  /** The service app the assertion proves, or why it proves nothing. */
  private verifyAssertion(jwt: string, tokenUrl: string, now: number): { clientId: string; scopes: string[] } | string {
    const parts = jwt.split('.');
    if (parts.length !== 3) return 'The client_assertion is not a valid JWT.';
    let header: Json;
    let claims: Json;
    try {
      header = JSON.parse(Buffer.from(parts[0], 'base64url').toString());
      claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString());
    } catch {
      return 'The client_assertion is not a valid JWT.';
    }
    if (header.alg !== 'RS256')
      return `The client_assertion signature algorithm ${String(header.alg)} is not supported.`;
    const app = this.credentials.serviceApps?.find((a) => a.clientId === claims.iss);
    if (!app) return 'The client_id is not valid.';
    if (claims.sub !== claims.iss) return "The client_assertion 'sub' claim must equal its 'iss' claim.";
    const aud = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
    if (!aud.includes(tokenUrl)) return "The client_assertion 'aud' claim is not this token endpoint.";
    const nowS = now / 1000;
    if (typeof claims.exp !== 'number' || claims.exp <= nowS) return 'The client_assertion token is expired.';
    if (claims.exp > nowS + MAX_ASSERTION_LIFETIME_S + 60) {
      return 'The client_assertion token has an expiration too far in the future.';
    }
    if (header.kid && app.publicJwk.kid && header.kid !== app.publicJwk.kid) {
      return 'The client_assertion was signed with a key the client does not have.';
    }
    let valid = false;
    try {
      const key = createPublicKey({ key: app.publicJwk as import('node:crypto').JsonWebKey, format: 'jwk' });
      valid = verify('RSA-SHA256', Buffer.from(`${parts[0]}.${parts[1]}`), key, Buffer.from(parts[2], 'base64url'));
    } catch {
      valid = false;
    }
    if (!valid) return 'The client_assertion signature is invalid.';
    if (typeof claims.jti === 'string') {
      if (this.usedJtis.has(claims.jti)) return 'The client_assertion token has already been used.';
      this.usedJtis.add(claims.jti);
    }
    return { clientId: app.clientId, scopes: app.scopes };
  }
}

/** A fresh RSA 2048 key for a fake service app: the PEM goes to the client, the JWK to the server. */
export function generateServiceAppKey(): { privateKeyPem: string; publicJwk: Json; kid: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = publicKey.export({ format: 'jwk' });
  const kid = createHash('sha256').update(`${jwk.n}.${jwk.e}`).digest('base64url').slice(0, 16);
  return {
    privateKeyPem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    publicJwk: { ...jwk, kid, alg: 'RS256', use: 'sig' },
    kid,
  };
}
