#!/usr/bin/env node
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ConfigError, ScannerError } from '../lambda/errors';
import { parseDeploymentSettings } from '../lib/deployment-settings';
import { OktaOwnershipScannerStack, STACK_NAME } from '../lib/okta-ownership-scanner-stack';

// The CDK app: the only place that reads context (-c key=value) and the environment.

/** Builds the stack from the app's context, with cdk-nag's AwsSolutions pack on the whole app. */
export function buildApp(app: App, env: NodeJS.ProcessEnv = process.env): OktaOwnershipScannerStack {
  const context = (key: string): unknown => app.node.tryGetContext(key);
  const settings = parseDeploymentSettings(
    {
      schedule: context('schedule'),
      configFile: context('configFile'),
      oktaSecretArn: context('oktaSecretArn'),
      oktaSecretKeyArn: context('oktaSecretKeyArn'),
      notificationEmails: context('notificationEmails'),
      oktaEventSource: context('oktaEventSource'),
    },
    { account: env.CDK_DEFAULT_ACCOUNT },
  );
  // The CDK CLI always sets the region (us-east-1 when nothing is configured).
  const region = env.CDK_DEFAULT_REGION ?? env.AWS_REGION;
  if (!region) {
    throw new ConfigError('No AWS region', [
      "set CDK_DEFAULT_REGION or AWS_REGION (cdk synth sets it): the table's customer managed key needs a region-specific stack",
    ]);
  }
  const stack = new OktaOwnershipScannerStack(app, STACK_NAME, {
    // No lookups: synth works offline without credentials; without credentials the account stays unresolved.
    env: { account: env.CDK_DEFAULT_ACCOUNT, region },
    schedule: settings.schedule,
    scannerConfig: settings.scannerConfig,
    oktaSecretArn: settings.oktaSecretArn,
    oktaSecretKeyArn: settings.oktaSecretKeyArn,
    notificationEmails: settings.notificationEmails,
    oktaEventSource: settings.oktaEventSource,
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return stack;
}

function main(): void {
  try {
    buildApp(new App());
  } catch (error) {
    // A bad config or context value: the message alone (as the CLI prints it), no stack trace.
    if (error instanceof ScannerError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
}

if (require.main === module) main();
