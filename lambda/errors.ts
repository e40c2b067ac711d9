import type { GateSnapshot, StepStop } from './domain/scan-step';

// Small named errors. Each keeps the original as `cause`; none carries a secret in its message.

// Each class names itself with a string: the Lambda bundle is minified, and a name taken from
// the class (new.target.name) would reach Step Functions' execution history and the logs as "un".
export class ScannerError extends Error {
  override name = 'ScannerError';
}

/** A config file, flag or payload that does not fit: lists every problem. Exit code 2. */
export class ConfigError extends ScannerError {
  override name = 'ConfigError';
  constructor(
    message: string,
    readonly problems: string[] = [],
    options?: { cause?: unknown },
  ) {
    super(problems.length > 0 ? `${message}:\n  - ${problems.join('\n  - ')}` : message, options);
  }
}

/** Credentials, org URL or secret that cannot be used. Exit code 2. */
export class CredentialsError extends ScannerError {
  override name = 'CredentialsError';
}

/** A request that failed without a usable HTTP answer, after the retries it was allowed. */
export class OktaTransportError extends ScannerError {
  override name = 'OktaTransportError';
  constructor(
    message: string,
    readonly kind: 'timeout' | 'dropped' | 'malformed' | 'unreachable',
    readonly method: string,
    readonly url: string,
    readonly attempts: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * The OAuth token endpoint refused the service app. The SDK does not filter this response
 * (oauth.js calls an undefined `Http.errorFilter`), caches the error body as the access token and
 * then calls the API with `Bearer undefined`, which ends in a misleading 401 E0000011. Failing
 * here keeps Okta's real answer. Deliberately has no `status` field: the SDK would take a 401
 * as an expired access token and ask again.
 */
export class OktaTokenEndpointError extends ScannerError {
  override name = 'OktaTokenEndpointError';
  constructor(
    readonly httpStatus: number,
    readonly error: string | null,
    readonly errorDescription: string | null,
    options?: { cause?: unknown },
  ) {
    super(
      `Okta's token endpoint answered ${httpStatus}${error ? ` ${error}` : ''}${errorDescription ? `: ${errorDescription}` : ''}`,
      options,
    );
  }
}

/** Okta's pages of a collection led in a circle, never ended or were not lists: the read stopped. */
export class PagingError extends ScannerError {
  override name = 'PagingError';
}

/**
 * Another scan of the same org holds the history lock, or a newer scan was already recorded.
 * Nothing of the refused scan's findings was written, so the recorded history stays intact.
 */
export class ScanConflictError extends ScannerError {
  override name = 'ScanConflictError';
  constructor(
    message: string,
    readonly org: string,
    readonly scanId: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The scan notification could not be published (SNS refused it or could not be reached). */
export class NotificationError extends ScannerError {
  override name = 'NotificationError';
}

/** A scheduled or ad-hoc scan that failed; thrown after the failure was recorded and notified. */
export class ScanFailedError extends ScannerError {
  override name = 'ScanFailedError';
}

/**
 * A scan step stopped before its collection was done: the invocation's time ran short, or Okta's
 * rate limit asked for a wait longer than a step should sleep. Not a failure: the next step
 * resumes from the answer journal, after `waitMs` (0 for a deadline) and with `gate`.
 */
export class StepInterrupted extends ScannerError {
  override name = 'StepInterrupted';
  readonly waitMs: number;

  constructor(
    readonly stop: StepStop,
    readonly gate: GateSnapshot = {},
  ) {
    super(
      stop.reason === 'wait'
        ? `The scan step stopped: Okta's rate limit asks to wait ${Math.ceil(stop.waitMs / 1000)} s`
        : 'The scan step stopped: the invocation is about to run out of time',
    );
    this.waitMs = stop.reason === 'wait' ? stop.waitMs : 0;
  }
}
