import { startDynalite } from '../test/support/dynalite';
import { startS3 } from '../test/support/s3-server';
import { installVirtualClock } from './virtual-clock';

// The orchestrated bench's DynamoDB (dynalite) and S3 (s3rver) in a process of their own: the
// emulators' CPU is not the Lambda's, and in the bench's process it would queue on the event loop
// the Lambda invocations share (and the virtual clock would multiply it). On the same virtual
// clock as the bench (s3rver refuses a signature more than 15 minutes off its own time).

export interface AwsClock {
  scale: number;
  origin: number;
  startAt: number;
}

export type AwsMessage = {
  type: 'ready';
  dynamoEndpoint: string;
  tableName: string;
  s3Endpoint: string;
  bucket: string;
};

async function serve(clock: AwsClock): Promise<void> {
  installVirtualClock(clock.scale, clock.origin, clock.startAt);
  const [db, s3] = await Promise.all([startDynalite(), startS3()]);
  const close = async (): Promise<void> => {
    await Promise.all([db.close(), s3.close()]);
    process.exit(0);
  };
  process.on('message', (message: { type: string }) => {
    if (message.type === 'close') void close();
  });
  process.on('disconnect', () => void close());
  process.send?.({
    type: 'ready',
    dynamoEndpoint: db.endpoint,
    tableName: db.tableName,
    s3Endpoint: s3.endpoint,
    bucket: s3.bucket,
  } satisfies AwsMessage);
}

if (require.main === module) {
  serve(JSON.parse(process.env.BENCH_AWS_CLOCK ?? '{}') as AwsClock).catch((error: unknown) => {
    process.stderr.write(`bench aws: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
