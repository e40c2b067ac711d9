import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

// The HTTP shell the loopback Secrets Manager and SNS servers share: listen on a free loopback
// port, read each request body whole, answer through the service's handler.

export interface LoopbackServer {
  /** http://127.0.0.1:PORT, for AWS_ENDPOINT_URL_<SERVICE>. */
  endpoint: string;
  close(): Promise<void>;
}

export interface LoopbackRequest {
  headers: IncomingMessage['headers'];
  body: string;
}

export interface LoopbackAnswer {
  status: number;
  contentType: string;
  body: string;
}

export async function startLoopbackServer(
  answer: (request: LoopbackRequest) => LoopbackAnswer,
): Promise<LoopbackServer> {
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const reply = answer({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(reply.status, { 'content-type': reply.contentType, 'x-amzn-requestid': 'loopback-request' });
      res.end(reply.body);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
