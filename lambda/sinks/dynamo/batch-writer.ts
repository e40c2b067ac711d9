import { BatchWriteCommand, type BatchWriteCommandInput, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ScannerError } from '../../errors';

// BatchWriteItem in chunks of 25, a few at a time, re-sending what DynamoDB leaves unprocessed
// (it does so when throttled) with capped exponential backoff.

export type WriteRequest = NonNullable<BatchWriteCommandInput['RequestItems']>[string][number];

const BATCH_SIZE = 25;
const BATCH_CONCURRENCY = 4;
const BACKOFF_BASE_MS = 50;
const BACKOFF_CAP_MS = 3_200;

export interface BatchWriterOptions {
  doc: DynamoDBDocumentClient;
  tableName: string;
  /** Attempts per batch of 25 while DynamoDB returns UnprocessedItems. */
  maxAttempts: number;
  sleep: (ms: number) => Promise<void>;
}

export class BatchWriter {
  constructor(private readonly options: BatchWriterOptions) {}

  async write(requests: WriteRequest[]): Promise<void> {
    const chunks: WriteRequest[][] = [];
    for (let i = 0; i < requests.length; i += BATCH_SIZE) chunks.push(requests.slice(i, i + BATCH_SIZE));
    let next = 0;
    let failed = false;
    // Once one chunk gives up, the others stop taking new chunks: no write may land after the
    // scan has been reported as not recorded (in Lambda, it would land in the next invocation).
    const worker = async (): Promise<void> => {
      try {
        while (!failed && next < chunks.length) await this.writeChunk(chunks[next++]);
      } catch (error) {
        failed = true;
        throw error;
      }
    };
    // allSettled: return only once no worker is still writing, whatever happened.
    const outcomes = await Promise.allSettled(
      Array.from({ length: Math.min(BATCH_CONCURRENCY, chunks.length) }, worker),
    );
    const failure = outcomes.find((outcome) => outcome.status === 'rejected');
    if (failure) throw failure.reason;
  }

  /** One BatchWrite of up to 25, re-sending what DynamoDB left unprocessed with capped backoff. */
  private async writeChunk(chunk: WriteRequest[]): Promise<void> {
    const { doc, tableName, maxAttempts, sleep } = this.options;
    let pending = chunk;
    for (let attempt = 1; ; attempt++) {
      const result = await doc.send(new BatchWriteCommand({ RequestItems: { [tableName]: pending } }));
      pending = result.UnprocessedItems?.[tableName] ?? [];
      if (pending.length === 0) return;
      if (attempt >= maxAttempts) {
        throw new ScannerError(
          `DynamoDB left ${pending.length} of ${chunk.length} scan-history writes unprocessed after ${attempt} attempts ` +
            `(table ${tableName} throttled?); the scan was not recorded completely and can be recorded again`,
        );
      }
      await sleep(Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** (attempt - 1)));
    }
  }
}
