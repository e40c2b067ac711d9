import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import { NotificationError } from '../errors';
import { SNS_MAX_MESSAGE_BYTES, type SnsParts, snsMessage, snsMessageBytes } from './digest';

export type { SnsParts } from './digest';

// Publishes a scan digest (or an owner alert, in the same shape) to an SNS topic: one message, an email body for people and a JSON
// body for everything else, with attributes that subscription filter policies can match.

export interface Notifier {
  publish(digest: SnsParts): Promise<{ messageId: string }>;
}

export class SnsNotifier implements Notifier {
  private readonly client: SNSClient;
  private readonly topicArn: string;

  constructor(options: { client: SNSClient; topicArn: string }) {
    this.client = options.client;
    this.topicArn = options.topicArn;
  }

  async publish(digest: SnsParts): Promise<{ messageId: string }> {
    // buildDigest keeps within the limit; a digest made elsewhere is refused here, not by SNS.
    const bytes = snsMessageBytes(digest);
    if (bytes > SNS_MAX_MESSAGE_BYTES) {
      throw new NotificationError(
        `Scan notification is ${bytes} bytes, over SNS's limit of ${SNS_MAX_MESSAGE_BYTES}: not published to ${this.topicArn}`,
      );
    }
    const command = new PublishCommand({
      TopicArn: this.topicArn,
      MessageStructure: 'json',
      Message: snsMessage(digest),
      Subject: digest.subject,
      MessageAttributes: Object.fromEntries(
        Object.entries(digest.attributes).map(([name, value]) => [name, { DataType: 'String', StringValue: value }]),
      ),
    });
    try {
      const result = await this.client.send(command);
      return { messageId: result.MessageId ?? '' };
    } catch (cause) {
      const reason = cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
      throw new NotificationError(`Could not publish the scan notification to ${this.topicArn}: ${reason}`, { cause });
    }
  }
}
