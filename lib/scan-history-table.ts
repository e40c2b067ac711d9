import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { HISTORY_INDEX, TABLE_KEY, TTL_ATTRIBUTE } from '../lambda/sinks/dynamo-keys';

/**
 * Pinned so that moving or renaming the construct can never make CloudFormation replace the
 * table (and drop the scan history). test/lib pins it too.
 */
export const SCAN_HISTORY_TABLE_LOGICAL_ID = 'ScanHistoryTable';

export interface ScanHistoryTableProps {
  readonly encryptionKey: kms.IKey;
}

/**
 * Scan records and findings, keyed as lambda/sinks/dynamo-keys.ts says (the store and this table
 * share those constants); per-scan items expire through the TTL attribute (epoch seconds).
 */
export class ScanHistoryTable extends Construct {
  readonly table: dynamodb.TableV2;

  constructor(scope: Construct, id: string, props: ScanHistoryTableProps) {
    super(scope, id);
    this.table = new dynamodb.TableV2(this, 'Table', {
      partitionKey: { name: TABLE_KEY.partitionKey, type: dynamodb.AttributeType.STRING },
      sortKey: { name: TABLE_KEY.sortKey, type: dynamodb.AttributeType.STRING },
      globalSecondaryIndexes: [
        {
          indexName: HISTORY_INDEX.indexName,
          partitionKey: { name: HISTORY_INDEX.partitionKey, type: dynamodb.AttributeType.STRING },
          sortKey: { name: HISTORY_INDEX.sortKey, type: dynamodb.AttributeType.STRING },
          projectionType: dynamodb.ProjectionType.INCLUDE,
          nonKeyAttributes: [...HISTORY_INDEX.nonKeyAttributes],
        },
      ],
      timeToLiveAttribute: TTL_ATTRIBUTE,
      billing: dynamodb.Billing.onDemand(),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      encryption: dynamodb.TableEncryptionV2.customerManagedKey(props.encryptionKey),
      // The history is the audit trail of the control: it outlives the stack.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    (this.table.node.defaultChild as dynamodb.CfnGlobalTable).overrideLogicalId(SCAN_HISTORY_TABLE_LOGICAL_ID);
  }
}
