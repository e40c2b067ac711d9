import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

// A small HTTP server in front of the fake Okta org for the faults the fake itself lacks:
// an empty page that still links to a next one, a next link back to a page already read, a
// huge page, a body that is not what the endpoint returns. Everything it does not override
// goes to the fake unchanged, and its Link headers are rewritten to point back here.

export interface UpstreamReply {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface OverrideContext {
  path: string;
  query: URLSearchParams;
  /** The proxy's own origin, for Link headers that must come back here. */
  proxyUrl: string;
  /** How many times this override has answered before (0 the first time). */
  count: number;
  /** The fake's answer to the same request. */
  upstream(): Promise<UpstreamReply>;
}

export interface Override {
  /** A string matches the path exactly; a RegExp is tested against it. */
  route: string | RegExp;
  /** How many matching requests to answer (default: all). */
  times?: number;
  respond(ctx: OverrideContext): Promise<UpstreamReply> | UpstreamReply;
}

export interface OktaProxy {
  url: string;
  override(rule: Override): void;
  clear(): void;
  close(): Promise<void>;
}

const HOP_HEADERS = new Set(['content-length', 'transfer-encoding', 'connection', 'keep-alive', 'content-encoding']);

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** A JSON reply in Okta's style, with optional Link headers. */
export function jsonReply(body: unknown, links: string[] = [], status = 200): UpstreamReply {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (links.length > 0) headers.link = links.join(', ');
  return { status, headers, body: typeof body === 'string' ? body : JSON.stringify(body) };
}

/**
 * Okta's 404 for a provisioning connection, answered with a page instead of Okta's JSON: the SDK
 * then throws HttpError (not OktaApiError), which the scanner imports by path.
 */
export const HTML_404_FOR_CONNECTIONS: Override = {
  route: /^\/api\/v1\/apps\/[^/]+\/connections\/default$/,
  respond: async (ctx) => {
    const upstream = await ctx.upstream();
    if (upstream.status !== 404) return upstream;
    return { status: 404, headers: { 'content-type': 'text/html' }, body: '<html>Not Found</html>' };
  },
};

export async function startOktaProxy(upstreamUrl: string): Promise<OktaProxy> {
  const overrides: { rule: Override; count: number }[] = [];
  const proxy: OktaProxy = {
    url: '',
    override: (rule) => {
      overrides.push({ rule, count: 0 });
    },
    clear: () => {
      overrides.length = 0;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };

  const server = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      const url = new URL(req.url ?? '/', proxy.url);
      const upstream = async (): Promise<UpstreamReply> => {
        const headers: Record<string, string> = {};
        for (const [name, value] of Object.entries(req.headers)) {
          if (typeof value === 'string' && !HOP_HEADERS.has(name) && name !== 'host') headers[name] = value;
        }
        const response = await fetch(`${upstreamUrl}${url.pathname}${url.search}`, {
          method: req.method,
          headers,
          body: body.length > 0 ? body : undefined,
        });
        const out: Record<string, string> = {};
        response.headers.forEach((value, name) => {
          if (!HOP_HEADERS.has(name)) out[name] = value.split(upstreamUrl).join(proxy.url);
        });
        return { status: response.status, headers: out, body: await response.text() };
      };
      const match = overrides.find(
        (o) =>
          (o.rule.times === undefined || o.count < o.rule.times) &&
          (typeof o.rule.route === 'string' ? o.rule.route === url.pathname : o.rule.route.test(url.pathname)),
      );
      let reply: UpstreamReply;
      if (match) {
        const count = match.count++;
        reply = await match.rule.respond({
          path: url.pathname,
          query: url.searchParams,
          proxyUrl: proxy.url,
          count,
          upstream,
        });
      } else {
        reply = await upstream();
      }
      res.writeHead(reply.status, reply.headers);
      res.end(reply.body);
    })().catch((error: unknown) => {
      res.writeHead(599, { 'content-type': 'text/plain' });
      res.end(`proxy error: ${(error as Error).message}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return proxy;
}
