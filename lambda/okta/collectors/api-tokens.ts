import type { ApiToken, SourceName } from '../../domain/inventory';
import type { OktaClient } from '../client';
import { readAll } from '../paging';
import { obj, plainObject, str } from '../sdk-values';

/** GET /api/v1/api-tokens (okta.apiTokens.read), then what the tokens did in the System Log (okta.logs.read). */
export const API_TOKEN_SOURCES: readonly SourceName[] = ['apiTokens', 'apiTokenUsage'];

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

export async function collectApiTokens(client: OktaClient): Promise<ApiToken[]> {
  // listApiTokens takes no parameters (the current spec declares none); the SDK still follows
  // a Link next header if Okta pages. The SDK drops `_links` (its model says `_link`).
  const tokens = await readAll('API tokens', await client.sdk.apiTokenApi.listApiTokens());
  return tokens.map((token) => {
    const t = plainObject(token);
    const network = obj(t.network);
    return {
      id: str(t.id) ?? '',
      name: str(t.name) ?? '',
      userId: str(t.userId) ?? '',
      clientName: str(t.clientName) ?? '',
      created: str(t.created),
      lastUpdated: str(t.lastUpdated),
      expiresAt: str(t.expiresAt),
      tokenWindow: str(t.tokenWindow),
      network: network
        ? { connection: str(network.connection), include: strings(network.include), exclude: strings(network.exclude) }
        : null,
    };
  });
}
