import { OktaApiError } from '@okta/okta-sdk-nodejs';
import HttpError from '@okta/okta-sdk-nodejs/src/http-error';
import { CredentialsError, OktaTokenEndpointError, OktaTransportError } from '../errors';
import { orgHost } from './connection';

// Turns what the SDK throws into one sentence a reader can act on. Messages name the request
// and Okta's answer, never a credential.

interface ApiErrorLike {
  status: number;
  errorCode?: string;
  errorSummary?: string;
  url?: string;
}

/**
 * The SDK's OktaApiError (JSON error body) or HttpError (any other body): both carry `status`.
 * By class, never by `name`: the SDK sets `name` from `constructor.name`, which the minified
 * Lambda bundle renames; the bundle holds one copy of each class (the SDK's http.js throws them).
 */
function asHttpError(error: unknown): ApiErrorLike | null {
  if ((error instanceof OktaApiError || error instanceof HttpError) && typeof error.status === 'number') {
    return error as unknown as ApiErrorLike;
  }
  return null;
}

function pathOf(url: string | undefined): string {
  if (!url) return 'the request';
  try {
    return `GET ${new URL(url).pathname}`;
  } catch {
    return 'the request';
  }
}

/** Okta's status and error code of a failed call, if it answered with one. */
export function httpStatusOf(error: unknown): number | null {
  return asHttpError(error)?.status ?? null;
}

/**
 * Okta's 401 E0000015 "You do not have permission to access the feature you are requesting":
 * the org lacks the feature (test/data/okta-recordings/README.md, "Errors"). The credentials
 * are fine; the source is not available in this org.
 */
export function isFeatureUnavailable(error: unknown): boolean {
  const http = asHttpError(error);
  return http?.status === 401 && http.errorCode === 'E0000015';
}

export function describeOktaError(error: unknown, requiredScope?: string): string {
  const http = asHttpError(error);
  if (http) {
    const code = http.errorCode ? ` ${http.errorCode}` : '';
    const summary = http.errorSummary ? ` (${http.errorSummary.replace(/\.$/, '')})` : '';
    const answer = `Okta answered ${http.status}${code}${summary} to ${pathOf(http.url)}`;
    if (http.status === 403) {
      return `${answer}: the credentials lack ${requiredScope ?? 'the scope'} or an admin role that allows this read`;
    }
    if (isFeatureUnavailable(error)) return `${answer}: this org does not have the feature`;
    if (http.status === 401) return `${answer}: Okta stopped accepting the credentials during the scan`;
    if (http.status === 423) return `${answer}: Okta asked to try again later, after the retries allowed`;
    if (http.status === 429) return `${answer}: still rate-limited after the retries allowed`;
    if (http.status >= 500) return `${answer}: Okta failed on its side, after the retries allowed`;
    if (!http.errorCode) return `${answer}, with a body that is not Okta's JSON`;
    return answer;
  }
  if (error instanceof OktaTransportError || error instanceof OktaTokenEndpointError) return error.message;
  if (error instanceof SyntaxError) return `Okta returned a body that could not be parsed: ${error.message}`;
  if (error instanceof Error) return error.message;
  return String(error);
}

/** What credentialsProblem needs to know of the client (OktaClient fits it). */
export interface CredentialsInUse {
  readonly orgUrl: string;
  readonly authMode: 'token' | 'privateKey';
  readonly scopes: readonly string[];
}

/**
 * The first request of a scan runs alone: if it fails because of the credentials or the org URL,
 * nothing can be read and the scan stops with one CredentialsError (exit 2). Returns null for
 * failures that belong to one source (403, 5xx, timeouts…).
 */
export function credentialsProblem(error: unknown, client: CredentialsInUse): CredentialsError | null {
  const host = orgHost(client.orgUrl);
  if (error instanceof OktaTokenEndpointError) {
    if (error.error === 'invalid_client' || error.httpStatus === 401) {
      return new CredentialsError(
        `Okta rejected the service app's private key or client id (${error.httpStatus} ${error.error ?? 'error'}${error.errorDescription ? `: ${error.errorDescription}` : ''}) at ${host}: check the client id, that the app's public key matches the private key, and the key id`,
        { cause: error },
      );
    }
    if (error.error === 'invalid_scope') {
      return new CredentialsError(
        `Okta refused the read-only scopes the scanner asks for (${error.error}${error.errorDescription ? `: ${error.errorDescription}` : ''}) at ${host}: grant the service app these scopes (Applications > the app > Okta API Scopes): ${client.scopes.join(' ')}`,
        { cause: error },
      );
    }
    return new CredentialsError(`Okta's token endpoint at ${host} refused the service app: ${error.message}`, {
      cause: error,
    });
  }
  const http = asHttpError(error);
  if (http?.status === 401 && !isFeatureUnavailable(error)) {
    const code = http.errorCode ? ` ${http.errorCode}` : '';
    const summary = http.errorSummary ? ` ${http.errorSummary.replace(/\.$/, '')}` : '';
    return new CredentialsError(
      client.authMode === 'token'
        ? `Okta rejected the API token (401${code}${summary}) at ${host}: check that the token is current and that the user who created it is still active`
        : `Okta rejected the service app's access token (401${code}${summary}) at ${host}: check the service app's client id, key and granted scopes`,
      { cause: error },
    );
  }
  if (http?.status === 404 && !http.errorCode) {
    return new CredentialsError(`${host} answered 404 with a body that is not Okta's: check the org URL`, {
      cause: error,
    });
  }
  if (error instanceof OktaTransportError && error.kind === 'unreachable') {
    const reason = (error.cause as { code?: string } | undefined)?.code ?? 'network error';
    const what =
      reason === 'ENOTFOUND' || reason === 'EAI_AGAIN'
        ? 'the name does not resolve'
        : reason === 'ECONNREFUSED'
          ? 'connection refused'
          : reason;
    return new CredentialsError(`Could not reach the Okta org at ${host} (${what}): check the org URL`, {
      cause: error,
    });
  }
  return null;
}
