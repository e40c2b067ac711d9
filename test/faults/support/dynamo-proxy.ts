import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

// Sits between the unmodified handler (AWS_ENDPOINT_URL_DYNAMODB points here) and dynalite, to
// answer some DynamoDB calls the way a throttled or overloaded table does: dynalite never
// throttles and never leaves batch items unprocessed.

/** The operation, as in the X-Amz-Target header: BatchWriteItem, UpdateItem, Query, … */
export type DynamoOperation = string;

export interface DynamoFault {
  operation: DynamoOperation | '*';
  /** How many matching calls to affect (default: all until cleared). */
  times?: number;
  /**
   * throttle: 400 ProvisionedThroughputExceededException (the SDK retries it);
   * unprocessed: a BatchWriteItem answered with every item left unprocessed, nothing written.
   */
  kind: 'throttle' | 'unprocessed';
}

export interface DynamoProxy {
  endpoint: string;
  /** Operations seen, in order, with whether a fault answered them. */
  calls: { operation: string; faulted: boolean }[];
  fault(rule: DynamoFault): void;
  clear(): void;
  close(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export async function startDynamoProxy(upstream: string): Promise<DynamoProxy> {
  const faults: { rule: DynamoFault; used: number }[] = [];
  const proxy: DynamoProxy = {
    endpoint: '',
    calls: [],
    fault: (rule) => {
      faults.push({ rule, used: 0 });
    },
    clear: () => {
      faults.length = 0;
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
      const operation = String(req.headers['x-amz-target'] ?? '').split('.')[1] ?? '';
      const match = faults.find(
        (f) =>
          (f.rule.operation === '*' || f.rule.operation === operation) &&
          (f.rule.times === undefined || f.used < f.rule.times),
      );
      proxy.calls.push({ operation, faulted: match !== undefined });
      if (match) {
        match.used++;
        const headers = { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': `fault-${match.used}` };
        if (match.rule.kind === 'unprocessed' && operation === 'BatchWriteItem') {
          const request = JSON.parse(body.toString()) as { RequestItems: unknown };
          res.writeHead(200, headers);
          res.end(JSON.stringify({ UnprocessedItems: request.RequestItems }));
          return;
        }
        res.writeHead(400, headers);
        res.end(
          JSON.stringify({
            __type: 'com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException',
            message: 'The level of configured provisioned throughput for the table was exceeded.',
          }),
        );
        return;
      }
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(req.headers)) {
        if (typeof value === 'string' && name !== 'host' && name !== 'content-length' && name !== 'connection')
          headers[name] = value;
      }
      const response = await fetch(`${upstream}${req.url ?? '/'}`, { method: req.method, headers, body });
      const out: Record<string, string> = {};
      response.headers.forEach((value, name) => {
        if (!['content-length', 'transfer-encoding', 'connection', 'content-encoding'].includes(name))
          out[name] = value;
      });
      res.writeHead(response.status, out);
      res.end(Buffer.from(await response.arrayBuffer()));
    })().catch((error: unknown) => {
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(`proxy error: ${(error as Error).message}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxy.endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return proxy;
}
