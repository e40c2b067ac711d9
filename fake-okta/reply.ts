import { randomBytes } from 'node:crypto';

// What a route hands back; the server adds rate-limit, request-id and content-type headers.
export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string | string[]>;
}

export function ok(body: unknown, headers?: Record<string, string | string[]>): Reply {
  return { status: 200, body, headers };
}

/** Okta's error envelope, with a fresh errorId like Okta's "oae…" ids. */
export function oktaError(status: number, errorCode: string, errorSummary: string, causes: string[] = []): Reply {
  return {
    status,
    body: {
      errorCode,
      errorSummary,
      errorLink: errorCode,
      errorId: `oae${randomBytes(11).toString('base64url')}`,
      errorCauses: causes.map((c) => ({ errorSummary: c })),
    },
  };
}

export const invalidToken = (): Reply => oktaError(401, 'E0000011', 'Invalid token provided');

export const accessDenied = (): Reply =>
  oktaError(403, 'E0000006', 'You do not have permission to perform the requested action');

export const notFound = (id: string, kind: string): Reply =>
  oktaError(404, 'E0000007', `Not found: Resource not found: ${id} (${kind})`);

export const validationFailed = (field: string, cause?: string): Reply =>
  oktaError(400, 'E0000001', `Api validation failed: ${field}`, cause ? [cause] : []);

export const invalidSearch = (cause: string): Reply => oktaError(400, 'E0000031', 'Invalid search criteria.', [cause]);

export const rateLimited = (): Reply =>
  oktaError(429, 'E0000047', 'API call exceeded rate limit due to too many requests.');

/** OAuth endpoints answer in RFC 6749's shape, not Okta's error envelope. */
export function oauthError(status: number, error: string, description: string): Reply {
  return { status, body: { error, error_description: description } };
}
