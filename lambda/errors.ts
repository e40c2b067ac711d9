// Small named errors. Each keeps the original as `cause`; none carries a secret in its message.

export class ScannerError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A config file, flag or payload that does not fit: lists every problem. Exit code 2. */
export class ConfigError extends ScannerError {
  constructor(
    message: string,
    readonly problems: string[] = [],
    options?: { cause?: unknown },
  ) {
    super(problems.length > 0 ? `${message}:\n  - ${problems.join('\n  - ')}` : message, options);
  }
}

/** Credentials, org URL or secret that cannot be used. Exit code 2. */
export class CredentialsError extends ScannerError {}

/** Okta refused or failed a read. */
export class OktaAccessError extends ScannerError {
  constructor(
    message: string,
    readonly status: number | null,
    readonly errorCode: string | null,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * Another scan of the same org holds the history lock, or a newer scan was already recorded.
 * Nothing of the refused scan's findings was written, so the recorded history stays intact.
 */
export class ScanConflictError extends ScannerError {
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
export class NotificationError extends ScannerError {}
