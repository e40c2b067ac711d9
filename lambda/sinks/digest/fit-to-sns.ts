import { EMAIL_LIST_LIMIT, header, renderEmail } from './email';
import { renderJson } from './json-body';
import type { Digest, DigestContext, Limits } from './types';

// SNS takes one message of at most 256 KiB: the lists are cut to fit, most important first.

/** SNS's hard limit for one message, attributes included (bytes, UTF-8). */
export const SNS_MAX_MESSAGE_BYTES = 262_144;
/** SNS does not document exactly how it counts attributes; stay clear of the edge. */
const SIZE_HEADROOM_BYTES = 1_024;

/** What one SNS message carries: a digest, or an alert in the same shape. */
export interface SnsParts {
  subject: string;
  email: string;
  json: unknown;
  attributes: Readonly<Record<string, string>>;
}

/** The bytes SNS counts for a digest: the JSON message, the subject and the attributes. */
export function snsMessageBytes(digest: SnsParts): number {
  let bytes = Buffer.byteLength(snsMessage(digest)) + Buffer.byteLength(digest.subject);
  for (const [name, value] of Object.entries(digest.attributes)) {
    bytes += Buffer.byteLength(name) + Buffer.byteLength('String') + Buffer.byteLength(value);
  }
  return bytes;
}

/** The SNS `Message` for `MessageStructure: 'json'`. */
export function snsMessage(digest: SnsParts): string {
  return JSON.stringify({ default: JSON.stringify(digest.json), email: digest.email });
}

/**
 * Cuts the lists so the whole message stays under SNS's limit, in a bounded number of steps:
 * the email keeps up to EMAIL_LIST_LIMIT entries per section and has first claim on the space,
 * the JSON takes what is left; each is cut by a binary search on how many entries it keeps,
 * most important first. Free text is clipped beforehand, so an empty digest always fits.
 */
export function fitToSns(ctx: DigestContext, subject: string, attributes: Digest['attributes']): Digest {
  const budget = SNS_MAX_MESSAGE_BYTES - SIZE_HEADROOM_BYTES;
  const sizes = ctx.lists.map((l) => l.items.length) as Limits;
  const none: Limits = [0, 0, 0];
  const assemble = (email: Limits, json: Limits): Digest => ({
    subject,
    email: renderEmail(ctx, email),
    json: renderJson(ctx, json),
    attributes,
  });
  const fits = (email: Limits, json: Limits): boolean => snsMessageBytes(assemble(email, json)) <= budget;

  let emailLimits = sizes.map((n) => Math.min(n, EMAIL_LIST_LIMIT)) as Limits;
  let jsonLimits = sizes;
  if (!fits(emailLimits, jsonLimits)) {
    if (!fits(emailLimits, none)) {
      const cap = emailLimits;
      const keep = largestFitting(sum(cap), (n) => fits(fill(n, cap), none));
      emailLimits = fill(keep, cap);
    }
    const keep = largestFitting(sum(sizes), (n) => fits(emailLimits, fill(n, sizes)));
    jsonLimits = fill(keep, sizes);
  }
  const digest = assemble(emailLimits, jsonLimits);
  if (snsMessageBytes(digest) <= budget) return digest;
  // Unreachable with the clipping above; kept so the limit holds whatever the input.
  const empty = renderJson(ctx, none);
  return {
    subject,
    email: `${header(ctx).join('\n')}\n\nThis digest was too large to send. See the full record: ${ctx.pointer}\n`,
    json: { ...empty, errors: [], omitted: { ...empty.omitted, errors: ctx.errors.length + ctx.errorsOmitted } },
    attributes,
  };
}

/** The largest n in [0, max] for which `fits(n)` holds (0 when none does). */
function largestFitting(max: number, fits: (n: number) => boolean): number {
  let lo = 0;
  let hi = max;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (fits(mid)) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Hands out n entries to the lists in priority order, each up to its cap. */
function fill(n: number, caps: Limits): Limits {
  let left = n;
  return caps.map((cap) => {
    const take = Math.min(cap, left);
    left -= take;
    return take;
  }) as Limits;
}

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
