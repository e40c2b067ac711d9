import { randomUUID } from 'node:crypto';
import { type LoopbackServer, startLoopbackServer } from './aws-loopback-server';

// A loopback SNS for the built Lambda (AWS_ENDPOINT_URL_SNS): the awsQuery protocol, a
// form-encoded `Action=Publish` answered in XML, every published message recorded.
// https://docs.aws.amazon.com/sns/latest/api/API_Publish.html

export interface PublishedMessage {
  topicArn: string;
  subject: string;
  message: string;
  messageStructure: string | undefined;
  /** MessageAttributes.entry.N.Name -> Value.StringValue */
  attributes: Record<string, string>;
}

export interface SnsServer extends LoopbackServer {
  published: PublishedMessage[];
}

function attributesOf(form: URLSearchParams): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (let n = 1; form.has(`MessageAttributes.entry.${n}.Name`); n++) {
    const name = form.get(`MessageAttributes.entry.${n}.Name`)!;
    attributes[name] = form.get(`MessageAttributes.entry.${n}.Value.StringValue`) ?? '';
  }
  return attributes;
}

function xmlError(code: string, message: string): string {
  return `<ErrorResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>loopback-request</RequestId></ErrorResponse>`;
}

export async function startSns(): Promise<SnsServer> {
  const published: PublishedMessage[] = [];
  const server = await startLoopbackServer(({ body }) => {
    const form = new URLSearchParams(body);
    if (form.get('Action') !== 'Publish') {
      return { status: 400, contentType: 'text/xml', body: xmlError('InvalidAction', 'only Publish is served') };
    }
    published.push({
      topicArn: form.get('TopicArn') ?? '',
      subject: form.get('Subject') ?? '',
      message: form.get('Message') ?? '',
      messageStructure: form.get('MessageStructure') ?? undefined,
      attributes: attributesOf(form),
    });
    return {
      status: 200,
      contentType: 'text/xml',
      body: `<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishResult><MessageId>${randomUUID()}</MessageId></PublishResult><ResponseMetadata><RequestId>loopback-request</RequestId></ResponseMetadata></PublishResponse>`,
    };
  });
  return { ...server, published };
}
