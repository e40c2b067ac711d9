import type { AddressInfo } from 'node:net';
import { CreateTableCommand, type CreateTableCommandInput, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { HISTORY_INDEX, TABLE_KEY } from '../../lambda/sinks/dynamo-keys';

/**
 * The scan-history table as the CDK stack creates it (TTL on `expiresAt` is set by the stack;
 * dynalite has no TTL support, so the store filters expired items on read).
 */
export const SCAN_TABLE_KEYS = {
  BillingMode: 'PAY_PER_REQUEST',
  AttributeDefinitions: [
    { AttributeName: TABLE_KEY.partitionKey, AttributeType: 'S' },
    { AttributeName: TABLE_KEY.sortKey, AttributeType: 'S' },
    { AttributeName: HISTORY_INDEX.partitionKey, AttributeType: 'S' },
    { AttributeName: HISTORY_INDEX.sortKey, AttributeType: 'S' },
  ],
  KeySchema: [
    { AttributeName: TABLE_KEY.partitionKey, KeyType: 'HASH' },
    { AttributeName: TABLE_KEY.sortKey, KeyType: 'RANGE' },
  ],
  GlobalSecondaryIndexes: [
    {
      IndexName: HISTORY_INDEX.indexName,
      KeySchema: [
        { AttributeName: HISTORY_INDEX.partitionKey, KeyType: 'HASH' },
        { AttributeName: HISTORY_INDEX.sortKey, KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: [...HISTORY_INDEX.nonKeyAttributes] },
    },
  ],
} as const satisfies Omit<CreateTableCommandInput, 'TableName'>;

export interface RunningDynalite {
  endpoint: string;
  tableName: string;
  client: DynamoDBClient;
  close(): Promise<void>;
}

/** dynalite in memory on a free loopback port, with the scan-history table created. */
export async function startDynalite(tableName = 'scan-history'): Promise<RunningDynalite> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  await client.send(
    new CreateTableCommand({
      ...structuredClone(SCAN_TABLE_KEYS as unknown as Omit<CreateTableCommandInput, 'TableName'>),
      TableName: tableName,
    }),
  );
  return {
    endpoint,
    tableName,
    client,
    close: async () => {
      client.destroy();
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}
