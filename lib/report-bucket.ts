import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { CHECKPOINT_PREFIX, REPORT_PAGE_PREFIX } from '../lambda/function-contract';

/** Pinned, like the table's: renaming the construct must never orphan the retained bucket for a new one. */
export const REPORT_BUCKET_LOGICAL_ID = 'ReportBucket';

export interface ReportBucketProps {
  readonly encryptionKey: kms.IKey;
  /** How long a scan's page is kept, in days: the history's retention, so a digest's link outlives its record no longer. */
  readonly retentionDays: number;
}

/** Noncurrent versions (an overwritten page) are kept this long, then go. */
const NONCURRENT_DAYS = 30;
/** A run's checkpoint is needed while its execution lasts (23 hours at most); a week leaves room to look. */
export const CHECKPOINT_DAYS = 7;

/**
 * Each scan's HTML page and JSON report (lambda/sinks/report-page-s3.ts), private and encrypted
 * with the stack's key; retained with the stack like the history it mirrors. Reads go through the
 * console link in the digest, as the reader's own role: nothing here is public.
 */
export class ReportBucket extends Construct {
  readonly bucket: s3.Bucket;
  /** Where S3 writes the report bucket's server access logs. */
  readonly accessLogs: s3.Bucket;

  constructor(scope: Construct, id: string, props: ReportBucketProps) {
    super(scope, id);
    const expiration = Duration.days(props.retentionDays);
    // Server access logs may not be SSE-KMS encrypted, so this bucket uses S3-managed keys.
    this.accessLogs = new s3.Bucket(this, 'AccessLogs', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      // No objectOwnership: without the serverAccessLogsUseBucketPolicy flag, CDK needs ObjectWriter here.
      lifecycleRules: [{ expiration }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.accessLogs).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'This is the access-log bucket of the report bucket; logging its own access would log the logs.',
    });

    this.bucket = new s3.Bucket(this, 'Bucket', {
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: props.encryptionKey,
      // One data key per bucket rather than per object: fewer KMS calls for the same key.
      bucketKeyEnabled: true,
      enforceSSL: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: true,
      lifecycleRules: [
        {
          prefix: REPORT_PAGE_PREFIX,
          expiration,
          noncurrentVersionExpiration: Duration.days(NONCURRENT_DAYS),
        },
        {
          prefix: CHECKPOINT_PREFIX,
          expiration: Duration.days(CHECKPOINT_DAYS),
          // Each step rewrites its run's manifest: the versions it replaced are of no use.
          noncurrentVersionExpiration: Duration.days(1),
        },
        { abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
      serverAccessLogsBucket: this.accessLogs,
      serverAccessLogsPrefix: 'report-bucket/',
      removalPolicy: RemovalPolicy.RETAIN,
    });
    (this.bucket.node.defaultChild as s3.CfnBucket).overrideLogicalId(REPORT_BUCKET_LOGICAL_ID);
  }

  /** `s3:PutObject` under the report prefix only, and the key use that SSE-KMS needs for it. */
  grantWritePages(grantee: iam.IGrantable): void {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['s3:PutObject'],
        resources: [this.bucket.arnForObjects(`${REPORT_PAGE_PREFIX}*`)],
      }),
    );
    this.bucket.encryptionKey?.grant(grantee, 'kms:GenerateDataKey');
  }

  /** Get, Put and List under the checkpoint prefix only, and the key use to read and write there. */
  grantCheckpoints(grantee: iam.IGrantable): void {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['s3:GetObject', 's3:PutObject'],
        resources: [this.bucket.arnForObjects(`${CHECKPOINT_PREFIX}*`)],
      }),
    );
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['s3:ListBucket'],
        resources: [this.bucket.bucketArn],
        conditions: { StringLike: { 's3:prefix': `${CHECKPOINT_PREFIX}*` } },
      }),
    );
    this.bucket.encryptionKey?.grant(grantee, 'kms:Decrypt', 'kms:GenerateDataKey');
  }
}
