// Keeps every secret a run knows of (a token, a private key) out of anything it writes.

/** Collects the secrets of a run and scrubs them from any text before it is written. */
export class Redactor {
  private readonly secrets = new Set<string>();

  add(secret: string | undefined): void {
    if (!secret) return;
    const trimmed = secret.trim();
    if (trimmed.length >= 4) this.secrets.add(trimmed);
    // A PEM body or JWK may reach a message in pieces: hide each long line and private member.
    for (const line of trimmed.split(/\r?\n/)) {
      const t = line.trim();
      if (t.length >= 16 && !t.startsWith('-----')) this.secrets.add(t);
    }
    if (trimmed.startsWith('{')) {
      try {
        const jwk = JSON.parse(trimmed) as Record<string, unknown>;
        for (const key of ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k']) {
          const value = jwk[key];
          if (typeof value === 'string' && value.length >= 8) this.secrets.add(value);
        }
      } catch {
        // Not JSON: the line pieces above cover it.
      }
    }
  }

  scrub = (text: string): string => {
    let out = text;
    for (const secret of [...this.secrets].sort((a, b) => b.length - a.length)) {
      out = out.split(secret).join('[redacted]');
    }
    return out;
  };
}

/** A redactor that knows the secrets of the environment and of the command line. */
export function redactorFor(argv: string[], env: NodeJS.ProcessEnv): Redactor {
  const redactor = new Redactor();
  redactor.add(env.OKTA_API_TOKEN);
  redactor.add(env.OKTA_PRIVATE_KEY);
  // Before parsing, so even a message about a malformed command line cannot echo a token.
  argv.forEach((arg, i) => {
    if (arg === '--token') redactor.add(argv[i + 1]);
    else if (arg.startsWith('--token=')) redactor.add(arg.slice('--token='.length));
  });
  return redactor;
}
