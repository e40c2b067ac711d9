import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { CheckpointStore, RunCheckpoint, RunManifest } from '../domain/checkpoint';
import type { JournalAnswer } from '../domain/scan-step';
import { CHECKPOINT_PREFIX } from '../function-contract';

// Runs' checkpoints in the artifact bucket: checkpoints/<org>/<runId>/manifest.json and one object
// per segment of answers under answers/. The bucket expires them after 7 days
// (lib/report-bucket.ts); its key encrypts them.

export interface S3CheckpointStoreOptions {
  client: S3Client;
  bucket: string;
}

/** Segments read at once when a run resumes. */
const READ_CONCURRENCY = 16;

const runPrefix = (org: string, runId: string): string => `${CHECKPOINT_PREFIX}${org}/${runId}/`;

export class S3CheckpointStore implements CheckpointStore {
  constructor(private readonly options: S3CheckpointStoreOptions) {}

  async load(org: string, runId: string): Promise<RunCheckpoint | null> {
    const manifest = await this.manifest(org, runId);
    if (!manifest) return null;
    const keys = await this.list(`${runPrefix(org, runId)}answers/`);
    const answers: Record<string, JournalAnswer> = {};
    for (let i = 0; i < keys.length; i += READ_CONCURRENCY) {
      const segments = await Promise.all(keys.slice(i, i + READ_CONCURRENCY).map((key) => this.read(key)));
      for (const segment of segments) Object.assign(answers, segment);
    }
    return { manifest, answers };
  }

  manifest(org: string, runId: string): Promise<RunManifest | null> {
    return this.read<RunManifest>(`${runPrefix(org, runId)}manifest.json`);
  }

  async saveManifest(manifest: RunManifest): Promise<void> {
    await this.put(`${runPrefix(manifest.org, manifest.runId)}manifest.json`, manifest);
  }

  async saveAnswers(
    org: string,
    runId: string,
    segment: string,
    answers: Record<string, JournalAnswer>,
  ): Promise<void> {
    await this.put(`${runPrefix(org, runId)}answers/${segment}.json`, answers);
  }

  private async put(key: string, value: unknown): Promise<void> {
    const { client, bucket } = this.options;
    await client.send(
      new PutObjectCommand({ Bucket: bucket, Key: key, Body: JSON.stringify(value), ContentType: 'application/json' }),
    );
  }

  private async read<T = Record<string, JournalAnswer>>(key: string): Promise<T | null> {
    const { client, bucket } = this.options;
    try {
      const object = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      return JSON.parse((await object.Body?.transformToString()) ?? 'null') as T;
    } catch (error) {
      // NoSuchKey: the SDK sets `name` from the service's error code (a string literal).
      if ((error as { name?: string }).name === 'NoSuchKey') return null;
      throw error;
    }
  }

  private async list(prefix: string): Promise<string[]> {
    const { client, bucket } = this.options;
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page = await client.send(
        new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
      );
      for (const object of page.Contents ?? []) if (object.Key) keys.push(object.Key);
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return keys.sort();
  }
}
