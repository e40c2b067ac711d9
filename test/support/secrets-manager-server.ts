import { type LoopbackAnswer, type LoopbackServer, startLoopbackServer } from './aws-loopback-server';

// A loopback Secrets Manager for the built Lambda (AWS_ENDPOINT_URL_SECRETS_MANAGER): the AWS
// JSON 1.1 protocol, `X-Amz-Target: secretsmanager.GetSecretValue`, secrets held in memory: the
// stack's (by ARN) and any others a test puts (by the name or ARN a config gives).
// https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_GetSecretValue.html

export interface SecretsManagerServer extends LoopbackServer {
  /** Serves this SecretString for the stack's secret from now on. */
  useSecret(secretString: string): void;
  /** Serves this SecretString for another secret id (a name or an ARN) from now on. */
  putSecret(secretId: string, secretString: string): void;
  /** Answers every read with this AWS error code (e.g. AccessDeniedException) from now on. */
  refuse(errorCode: string, message: string): void;
  /** How many GetSecretValue calls arrived. */
  reads(): number;
}

export async function startSecretsManager(secretArn: string): Promise<SecretsManagerServer> {
  const secrets = new Map<string, string>([[secretArn, '{}']]);
  let refusal: { code: string; message: string } | null = null;
  let reads = 0;
  const json = (status: number, body: object): LoopbackAnswer => ({
    status,
    contentType: 'application/x-amz-json-1.1',
    body: JSON.stringify(body),
  });
  const server = await startLoopbackServer(({ headers, body }) => {
    if (headers['x-amz-target'] !== 'secretsmanager.GetSecretValue') {
      return json(400, { __type: 'UnknownOperationException', message: `not served: ${headers['x-amz-target']}` });
    }
    reads += 1;
    if (refusal) return json(400, { __type: refusal.code, message: refusal.message });
    const { SecretId = '' } = JSON.parse(body) as { SecretId?: string };
    const secretString = secrets.get(SecretId);
    if (secretString === undefined) {
      return json(400, {
        __type: 'ResourceNotFoundException',
        message: "Secrets Manager can't find the specified secret.",
      });
    }
    return json(200, {
      ARN: SecretId.startsWith('arn:') ? SecretId : `${secretArn.split(':secret:')[0]}:secret:${SecretId}-AbCdEf`,
      Name: SecretId.startsWith('arn:') ? SecretId.split(':secret:')[1] : SecretId,
      SecretString: secretString,
      VersionId: 'loopback-version-1',
      VersionStages: ['AWSCURRENT'],
      CreatedDate: 1_790_000_000,
    });
  });
  return {
    ...server,
    useSecret: (value) => {
      secrets.set(secretArn, value);
      refusal = null;
    },
    putSecret: (secretId, value) => {
      secrets.set(secretId, value);
    },
    refuse: (code, message) => {
      refusal = { code, message };
    },
    reads: () => reads,
  };
}
