import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import S3rver from 's3rver';

// A loopback S3 (s3rver 3.7.1): path-style addressing and its fixed credentials S3RVER/S3RVER.

export interface RunningS3 {
  endpoint: string;
  bucket: string;
  /** A client the way the handler's must be built for s3rver. */
  client: S3Client;
  /** Every key in the bucket. */
  keys(): Promise<string[]>;
  read(key: string): Promise<{ body: string; contentType: string | undefined }>;
  close(): Promise<void>;
}

export async function startS3(bucket = 'okta-scan-reports'): Promise<RunningS3> {
  const directory = mkdtempSync(join(tmpdir(), 's3rver-'));
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    configureBuckets: [{ name: bucket }],
  });
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new S3Client({
    endpoint,
    forcePathStyle: true,
    region: 'us-east-1',
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
  });
  return {
    endpoint,
    bucket,
    client,
    keys: async () => {
      const out = await client.send(new ListObjectsV2Command({ Bucket: bucket }));
      return (out.Contents ?? []).map((o) => o.Key ?? '').sort();
    },
    read: async (key) => {
      const out = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      return { body: (await out.Body?.transformToString()) ?? '', contentType: out.ContentType };
    },
    close: async () => {
      client.destroy();
      await server.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
