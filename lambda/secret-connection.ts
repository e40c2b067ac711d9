import { CredentialsError } from './errors';
import { FUNCTION_ENV } from './function-contract';
import { type OktaConnection, parseOktaSecret } from './okta/connection';

// The Okta connection as the Lambda gets it: the Secrets Manager secret the stack names, read
// afresh on each invocation, with an error that says what to fix and never echoes the secret.

const SECRET_READ_ADVICE: Record<string, string> = {
  AccessDeniedException:
    "the function's role may not read it (it needs secretsmanager:GetSecretValue on the secret and kms:Decrypt on its key)",
  ResourceNotFoundException: `there is no such secret: check ${FUNCTION_ENV.oktaSecretArn} (or the org's "secret" in the config's orgs) and the region`,
  DecryptionFailure: 'Secrets Manager could not decrypt it with its KMS key',
  InvalidRequestException: 'the secret cannot be read now (scheduled for deletion?)',
};

/**
 * Names what went wrong reading the secret. Powertools wraps the SDK's error in a
 * GetParameterError; the SDK's own error name (AccessDeniedException, …) is what a person acts on.
 * AWS error messages carry no secret value. `name` survives minification: AWS SDK v3 exceptions
 * set it from a string literal (the service's error code), not from the class name.
 */
function secretReadProblem(error: unknown): string {
  const inner = ((error as { cause?: unknown } | null)?.cause ?? error) as { name?: unknown; message?: unknown };
  const name = typeof inner?.name === 'string' ? inner.name : 'Error';
  const detail = SECRET_READ_ADVICE[name] ?? (typeof inner?.message === 'string' ? inner.message : '');
  return detail ? `${name}: ${detail}` : name;
}

/** Reads the secret once per invocation (forceFetch): a secret updated between nightly runs takes effect. */
async function readSecret(secretArn: string): Promise<unknown> {
  const { getSecret } = await import('@aws-lambda-powertools/parameters/secrets');
  try {
    return await getSecret(secretArn, { forceFetch: true });
  } catch (cause) {
    throw new CredentialsError(`Could not read the Okta secret ${secretArn}: ${secretReadProblem(cause)}`, {
      cause,
    });
  }
}

/** The Okta connection the secret holds; throws CredentialsError naming the problem. */
export async function loadSecretConnection(secretArn: string): Promise<OktaConnection> {
  const secret = await readSecret(secretArn);
  if (secret !== undefined && typeof secret !== 'string') {
    throw new CredentialsError(
      `The Okta secret ${secretArn} is binary: store it as a SecretString holding JSON (see the README)`,
    );
  }
  return parseOktaSecret(secret);
}
