import type { Collection } from '@okta/okta-sdk-nodejs';
import { PagingError } from '../errors';

// Reading SDK collections page by page, with guards the SDK lacks. The SDK follows
// `Link: rel="next"` for as long as Okta sends one: on a System Log polling query that is
// forever, and `for await` yields `null` for an empty page and keeps asking (okta-api.md 8.3).
// Pages are read here through the collection's own getNextPage()/nextUri, so every page is
// seen and checked before the next is requested.

export interface PagingLimits {
  /** Consecutive empty pages that still carry a next link before giving up. */
  maxEmptyPages?: number;
  /** A hard stop far above any real org, so a misbehaving server cannot keep the scan busy. */
  maxPages?: number;
}

interface CollectionInternals {
  nextUri?: string;
  getNextPage(): Promise<unknown[]>;
}

/** The URL with its query parameters sorted, so a link back to a page already read is recognised. */
function normalisedUrl(uri: string): string {
  try {
    const url = new URL(uri);
    url.searchParams.sort();
    return url.href;
  } catch {
    return uri;
  }
}

function itemKey(item: unknown): string | null {
  const value = item as { id?: unknown; uuid?: unknown } | null;
  if (value && typeof value.id === 'string') return value.id;
  if (value && typeof value.uuid === 'string') return value.uuid;
  return null;
}

/** Reads every page of a collection; throws PagingError instead of looping or truncating silently. */
export async function readAll<T>(what: string, collection: Collection<T>, limits: PagingLimits = {}): Promise<T[]> {
  const maxEmptyPages = limits.maxEmptyPages ?? 3;
  const maxPages = limits.maxPages ?? 5_000;
  const pages = collection as unknown as CollectionInternals;
  const seenUrls = new Set<string>();
  const seenKeys = new Set<string>();
  const items: T[] = [];
  let emptyPages = 0;
  while (pages.nextUri) {
    const url = normalisedUrl(pages.nextUri);
    if (seenUrls.has(url)) {
      throw new PagingError(`Okta's next link for ${what} points back to a page already read; stopped reading`);
    }
    if (seenUrls.size >= maxPages) {
      throw new PagingError(`${what} has more than ${maxPages} pages; stopped reading`);
    }
    seenUrls.add(url);
    const page = await pages.getNextPage();
    // A page that is not a list (JSON null, an HTML page the SDK passed through) holds no
    // answer at all: reading it as empty would report a source as complete that was never read.
    if (!Array.isArray(page)) {
      throw new PagingError(`Okta answered a page of ${what} with something that is not a list; stopped reading`);
    }
    const pageItems = page.filter((item) => item !== null && item !== undefined);
    if (pageItems.length === 0) {
      emptyPages++;
      if (pages.nextUri && emptyPages >= maxEmptyPages) {
        throw new PagingError(`Okta kept answering empty pages with a next link for ${what}; stopped reading`);
      }
      continue;
    }
    emptyPages = 0;
    // A next link that differs only in its cursor can still lead back to data already read.
    const keys = pageItems.map(itemKey);
    if (keys.every((key) => key !== null && seenKeys.has(key))) {
      throw new PagingError(`Okta's next link for ${what} led back to items already read; stopped reading`);
    }
    for (const key of keys) if (key !== null) seenKeys.add(key);
    items.push(...(pageItems as T[]));
  }
  return items;
}
