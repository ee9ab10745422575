// A KMS key for an SNS topic that an AWS service publishes to: the AWS managed SNS key lets no
// service principal use it, so a topic that CloudWatch alarms or SES publish to needs its own key
// with a statement for that service (AWS's guide for encrypted topics; `*` is this key, in a key
// policy). It encrypts nothing but notifications in flight, so it goes away with its topic.
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type { Construct } from 'constructs';

export function serviceTopicKey(scope: Construct, id: string, description: string, service: string, conditions?: Record<string, unknown>): kms.Key {
  const key = new kms.Key(scope, id, { description, enableKeyRotation: true, pendingWindow: Duration.days(7), removalPolicy: RemovalPolicy.DESTROY });
  key.addToResourcePolicy(new iam.PolicyStatement({
    principals: [new iam.ServicePrincipal(service)],
    actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
    resources: ['*'],
    ...(conditions ? { conditions } : {}),
  }));
  return key;
}
