import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { RECORDED_ORIGIN } from './recordings';

// A tiny loopback server that answers each path with a recorded Okta response, so the real
// collectors read real answers through the real SDK client. Recorded Link headers are pointed
// at this server. A request for a path nothing was recorded for gets Okta's 404 E0000007.

export interface ReplayAnswer {
  /** Path without query, e.g. /api/v1/api-tokens. */
  path: string;
  status?: number;
  body: unknown;
  /** Recorded `Link` values, absolute URLs on the recorded org. */
  links?: string[];
}

export interface ReplayedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
}

export interface ReplayServer {
  url: string;
  requests: ReplayedRequest[];
  close(): Promise<void>;
}

function send(res: ServerResponse, status: number, body: unknown, links: string[] = []): void {
  res.writeHead(status, { 'content-type': 'application/json', ...(links.length > 0 ? { link: links } : {}) });
  res.end(JSON.stringify(body));
}

export async function startReplay(answers: readonly ReplayAnswer[]): Promise<ReplayServer> {
  const requests: ReplayedRequest[] = [];
  let origin = '';
  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const url = new URL(req.url ?? '/', origin);
    requests.push({ method: req.method ?? 'GET', path: url.pathname, query: url.searchParams });
    const answer = answers.find((a) => a.path === url.pathname);
    if (!answer) {
      send(res, 404, {
        errorCode: 'E0000007',
        errorSummary: `Not found: Resource not found: ${url.pathname} (Replay)`,
        errorLink: 'E0000007',
        errorId: 'oaeReplayNotRecorded',
        errorCauses: [],
      });
      return;
    }
    if (url.searchParams.has('after')) {
      // A recorded rel="next" leads to a page that was not recorded: the recording ends here.
      send(res, 200, [], [`<${url.href}>; rel="self"`]);
      return;
    }
    const links = (answer.links ?? []).map((link) => link.split(RECORDED_ORIGIN).join(origin));
    send(res, answer.status ?? 200, answer.body, links);
  };
  const server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: origin,
    requests,
    close: () => new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
  };
}
