import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import type { Finding, Report } from '../../lambda/domain/finding';
import { NotificationError } from '../../lambda/errors';
import { buildDigest, type Digest } from '../../lambda/sinks/digest';
import { SnsNotifier } from '../../lambda/sinks/sns-notifier';

const TOPIC = 'arn:aws:sns:us-east-1:123456789012:okta-scan';
// This client alone, not SNSClient's prototype: files that share a worker keep their own mocks.
const client = new SNSClient({});
const sns = mockClient(client);
afterEach(() => sns.reset());

const deprovisionedOwner: Finding = {
  id: 'f-token-2',
  ruleId: 'api-token-owner-not-active',
  status: 'FAIL',
  severity: 'critical',
  resource: { type: 'api_token', id: '00T2backup', name: 'Backup sync' },
  owner: { id: '00u2bob', login: 'bob@acme.com', status: 'DEPROVISIONED', kind: 'human', signals: [] },
  message: 'API token "Backup sync" belongs to bob@acme.com, who is DEPROVISIONED.',
  remediation: 'Recreate the token as an active service account and revoke this one.',
  evidence: {},
};

const report: Report = {
  schemaVersion: 1,
  scanId: 'scan-1',
  org: 'acme.okta.com',
  startedAt: '2026-11-28T01:59:00.000Z',
  finishedAt: '2026-11-28T02:00:00.000Z',
  status: 'complete',
  errors: [],
  summary: {
    byStatus: { PASS: 0, FAIL: 1, UNKNOWN: 0, SUPPRESSED: 0 },
    failBySeverity: { critical: 1, high: 0, medium: 0, low: 0, info: 0 },
  },
  findings: [deprovisionedOwner],
};

const digest: Digest = buildDigest({
  report,
  changes: [{ state: 'NEW', finding: deprovisionedOwner, firstSeen: report.finishedAt, lastSeen: report.finishedAt }],
  expiringSuppressions: [],
});

describe('SnsNotifier', () => {
  it('publishes one JSON-structured message with the email and JSON bodies, subject and attributes', async () => {
    sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
    const notifier = new SnsNotifier({ client, topicArn: TOPIC });

    await expect(notifier.publish(digest)).resolves.toEqual({ messageId: 'm-1' });

    const calls = sns.commandCalls(PublishCommand);
    expect(calls).toHaveLength(1);
    const input = calls[0].args[0].input;
    expect(input).toMatchObject({
      TopicArn: TOPIC,
      MessageStructure: 'json',
      Subject: '[okta-scan] acme.okta.com: 1 new violation (1 critical)',
      MessageAttributes: {
        org: { DataType: 'String', StringValue: 'acme.okta.com' },
        status: { DataType: 'String', StringValue: 'complete' },
        severity: { DataType: 'String', StringValue: 'critical' },
      },
    });
    const message = JSON.parse(input.Message!);
    expect(Object.keys(message).sort()).toEqual(['default', 'email']);
    expect(message.email).toBe(digest.email);
    expect(message.email).toContain('Owner: bob@acme.com (DEPROVISIONED, human)');
    // SNS requires each protocol's body to be a string: the machine body is JSON inside it.
    expect(typeof message.default).toBe('string');
    expect(JSON.parse(message.default)).toEqual(digest.json);
    expect(JSON.parse(message.default).violations[0]).toMatchObject({ id: 'f-token-2', state: 'NEW' });
  });

  it('reports a failed publish as a NotificationError that keeps the cause', async () => {
    const refused = Object.assign(new Error('User is not authorized to perform: SNS:Publish'), {
      name: 'AuthorizationErrorException',
    });
    sns.on(PublishCommand).rejects(refused);
    const notifier = new SnsNotifier({ client, topicArn: TOPIC });

    const error = await notifier.publish(digest).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotificationError);
    expect((error as NotificationError).name).toBe('NotificationError');
    expect((error as NotificationError).message).toContain(TOPIC);
    expect((error as NotificationError).message).toContain('AuthorizationErrorException');
    expect((error as NotificationError).cause).toBe(refused);
  });

  it('refuses a digest over 256 KB without calling SNS', async () => {
    const notifier = new SnsNotifier({ client, topicArn: TOPIC });
    const huge = { ...digest, email: 'x'.repeat(262_144) };

    await expect(notifier.publish(huge)).rejects.toThrow(NotificationError);
    expect(sns.commandCalls(PublishCommand)).toHaveLength(0);
  });
});
