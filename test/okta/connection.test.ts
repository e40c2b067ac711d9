import { describe, expect, it } from 'vitest';
import { CredentialsError } from '../../lambda/errors';
import { parseOktaSecret, parseOrgUrl } from '../../lambda/okta/connection';

describe('org URL', () => {
  it('accepts https and normalises to the origin', () => {
    expect(parseOrgUrl('https://acme.okta.com/')).toBe('https://acme.okta.com');
  });

  it.each(['http://127.0.0.1:8080', 'http://localhost:3000', 'http://[::1]:9000', 'http://127.9.9.9'])(
    'accepts plain http only for a loopback host: %s',
    (url) => {
      expect(parseOrgUrl(url)).toBe(new URL(url).origin);
    },
  );

  it.each(['http://acme.okta.com', 'http://10.0.0.5', 'http://127.0.0.1.nip.io'])(
    'refuses plain http to a non-loopback host: %s',
    (url) => {
      expect(() => parseOrgUrl(url)).toThrow(/must use https:\/\//);
    },
  );

  it('refuses what is not a URL, with the fix', () => {
    expect(() => parseOrgUrl('acme.okta.com')).toThrow(/give it as https:\/\/<your-org>.okta.com/);
  });

  it('refuses a URL with a path, naming the base URL to use', () => {
    expect(() => parseOrgUrl('https://acme.okta.com/admin/dashboard')).toThrow(/use https:\/\/acme.okta.com/);
  });
});

describe('Okta secret', () => {
  const token = 'SSWS-not-a-real-token-00abcdef';
  const key = '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----';

  it('reads a token secret', () => {
    expect(parseOktaSecret(JSON.stringify({ orgUrl: 'https://acme.okta.com', apiToken: token }))).toEqual({
      orgUrl: 'https://acme.okta.com',
      auth: { kind: 'token', token },
    });
  });

  it('reads a service app secret', () => {
    const connection = parseOktaSecret(
      JSON.stringify({ orgUrl: 'https://acme.okta.com', clientId: '0oa1', privateKey: key, keyId: 'k1' }),
    );
    expect(connection.auth).toEqual({ kind: 'privateKey', clientId: '0oa1', privateKey: key, keyId: 'k1' });
  });

  const bad: [string, string | undefined, RegExp][] = [
    ['empty', '', /secret is empty/],
    ['not JSON', `{"apiToken": "${token}"`, /not valid JSON/],
    ['an array', '[]', /must be a JSON object/],
    ['missing orgUrl', JSON.stringify({ apiToken: token }), /missing field: orgUrl/],
    ['no credential', JSON.stringify({ orgUrl: 'https://a.okta.com' }), /missing field: apiToken/],
    [
      'unexpected field',
      JSON.stringify({ orgUrl: 'https://a.okta.com', apiToken: token, password: token }),
      /unexpected field\(s\): password/,
    ],
    [
      'both kinds',
      JSON.stringify({ orgUrl: 'https://a.okta.com', apiToken: token, clientId: 'x', privateKey: key }),
      /not both/,
    ],
    [
      'client id without key',
      JSON.stringify({ orgUrl: 'https://a.okta.com', clientId: '0oa1' }),
      /missing field: privateKey/,
    ],
    [
      'http org URL',
      JSON.stringify({ orgUrl: 'http://acme.okta.com', apiToken: token }),
      /orgUrl in the Okta secret must use https/,
    ],
  ];

  it.each(bad)('refuses a secret that is %s, naming the field and never the value', (_name, text, message) => {
    let error: unknown;
    try {
      parseOktaSecret(text);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CredentialsError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain(token);
    expect((error as Error).message).not.toContain('MIIEvQ');
  });
});
