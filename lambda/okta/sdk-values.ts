import type { Collection } from '@okta/okta-sdk-nodejs';

// The SDK's answers as plain values, and the small readers of their fields.

/**
 * SDK model instances to plain JSON data: Dates become ISO strings, undefined fields go. The
 * collectors read fields from this, so no SDK object leaves them.
 */
export function toPlain(value: unknown): unknown {
  if (value === null || value === undefined) return value ?? null;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (Array.isArray(value)) return value.map(toPlain);
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, field] of Object.entries(value)) {
      if (field !== undefined && typeof field !== 'function') out[key] = toPlain(field);
    }
    return out;
  }
  return value;
}

export type Plain = Record<string, unknown>;

export function plainObject(value: unknown): Plain {
  const plain = toPlain(value);
  return plain && typeof plain === 'object' && !Array.isArray(plain) ? (plain as Plain) : {};
}

export function str(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

export function obj(value: unknown): Plain | null {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Plain) : null;
}

interface ResponseLike {
  body: { text(): Promise<string> };
}

/**
 * Makes a collection yield each item as Okta sent it instead of the SDK's model, which keeps only
 * what the spec declares: an app whose signOnMode is null (a directory such as active_directory,
 * test/data/okta-recordings/README.md "Apps") fits no Application subtype and loses its `name`.
 * Non-2xx answers never get here: the SDK throws them before parsing.
 */
export function asSent<T>(collection: Collection<T>): Collection<T> {
  const internals = collection as unknown as { factory: { parseResponse(response: ResponseLike): Promise<unknown> } };
  internals.factory = { parseResponse: async (response) => JSON.parse(await response.body.text()) };
  return collection;
}
