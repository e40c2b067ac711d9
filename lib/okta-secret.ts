import { RemovalPolicy, SecretValue, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';

export interface OktaSecretProps {
  readonly encryptionKey: kms.IKey;
  /** Complete ARN of an existing secret; absent: create an empty one to fill in after deploy. */
  readonly existingSecretArn?: string;
  /** The customer managed key of the existing secret, when it is not aws/secretsmanager. */
  readonly existingSecretKeyArn?: string;
}

/** The Okta credentials (`{ orgUrl, apiToken }` or `{ orgUrl, clientId, privateKey, keyId? }`). */
export class OktaSecret extends Construct {
  readonly secret: secretsmanager.ISecret;
  /** True when this stack created the secret and someone still has to put a value in it. */
  readonly created: boolean;
  private readonly existingKeyArn?: string;

  constructor(scope: Construct, id: string, props: OktaSecretProps) {
    super(scope, id);

    if (props.existingSecretArn !== undefined) {
      this.created = false;
      this.existingKeyArn = props.existingSecretKeyArn;
      this.secret = secretsmanager.Secret.fromSecretAttributes(this, 'Existing', {
        secretCompleteArn: props.existingSecretArn,
      });
      return;
    }

    this.created = true;
    const secret = new secretsmanager.Secret(this, 'Secret', {
      description: 'okta-ownership-scanner: Okta org URL and API token or service-app key (JSON)',
      encryptionKey: props.encryptionKey,
      // "{}" is a placeholder, not a credential: the handler refuses it, naming the missing orgUrl.
      // CloudFormation rewrites the value only if this literal changes, so a put-secret-value survives updates.
      secretStringValue: SecretValue.unsafePlainText('{}'),
      // Deletion is scheduled with Secrets Manager's 30-day recovery window; no orphaned credential.
      removalPolicy: RemovalPolicy.DESTROY,
    });
    Validations.of(secret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'Holds an Okta API token or an OAuth service-app private key, which Secrets Manager cannot rotate: ' +
        'that would take a custom rotation Lambda holding Okta admin rights to mint new credentials, a ' +
        'bigger risk than the one it removes. Rotation happens in Okta, then put-secret-value.',
    });
    this.secret = secret;
  }

  /** Read access to this one secret, and decrypt through Secrets Manager with its key. */
  grantRead(grantee: iam.IGrantable): void {
    this.secret.grantRead(grantee);
    if (this.existingKeyArn !== undefined) {
      // grantRead cannot put this on an imported key (it would go to the key policy) and silently
      // grants nothing; the key's own policy must still allow this account's IAM policies.
      iam.Grant.addToPrincipal({
        grantee,
        actions: ['kms:Decrypt'],
        resourceArns: [this.existingKeyArn],
        conditions: { StringEquals: { 'kms:ViaService': `secretsmanager.${Stack.of(this).region}.amazonaws.com` } },
      });
    }
  }
}
