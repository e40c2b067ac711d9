import { Stack, Token, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { ScannerConfig } from '../lambda/config';
import { SECRET_ARN } from '../lambda/config';

// Each configured org's Okta secret (config `orgs[].secret`), readable by the function and nothing
// else. The names and ARNs were checked at synth (lib/deployment-settings.ts).

// Secrets Manager adds "-" and 6 characters to a secret's name in its ARN; a policy that names the
// secret matches it with "-??????" (https://docs.aws.amazon.com/secretsmanager/latest/userguide/auth-and-access_iam-policies.html).
const SUFFIX = /-[A-Za-z0-9]{6}$/;

interface StackTarget {
  readonly partition: string;
  readonly region: string;
  readonly account: string;
}

/**
 * The IAM resource for a secret: a name becomes an ARN in the stack's account and region; an ARN
 * is used as given, with "-??????" when it lacks the suffix. (A name that itself ends in "-" and 6
 * letters or digits reads as suffixed: give the complete ARN for such a secret.)
 */
export function secretResourceArn(secret: string, target: StackTarget): string {
  if (SECRET_ARN.test(secret)) return SUFFIX.test(secret) ? secret : `${secret}-??????`;
  return `arn:${target.partition}:secretsmanager:${target.region}:${target.account}:secret:${secret}-??????`;
}

/** How cdk-nag prints a token of the stack's environment in a finding id. */
function nagName(value: string, pseudo: string): string {
  return Token.isUnresolved(value) ? `<${pseudo}>` : value;
}

/** Lets the role read exactly the secrets of the configured orgs (none without `orgs`). */
export function grantOrgSecrets(role: iam.IRole, config: ScannerConfig): void {
  const orgs = config.orgs ?? [];
  if (orgs.length === 0) return;
  const stack = Stack.of(role);
  const resources = orgs.map((org) => secretResourceArn(org.secret, stack));
  role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources }));
  const shown = {
    partition: nagName(stack.partition, 'AWS::Partition'),
    region: nagName(stack.region, 'AWS::Region'),
    account: nagName(stack.account, 'AWS::AccountId'),
  };
  for (const org of orgs) {
    const arn = secretResourceArn(org.secret, shown);
    if (!arn.endsWith('-??????')) continue;
    Validations.of(role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${arn}]`,
      reason:
        `The secret of org "${org.name}", named without the 6-character suffix Secrets Manager appends: ` +
        '"-??????" matches exactly that suffix, so only this one secret is readable.',
    });
  }
}
