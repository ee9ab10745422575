// One Lambda of the app as every stack builds it: Node.js 22 on arm64, an esbuild package from
// dist/lambda/<entry>, handler `index.handler`, its own log group with a retention, and a role
// given by the caller (so grants stay explicit and shared roles stay possible).
import { createHash } from 'node:crypto';
import { ArnFormat, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { acknowledge } from './nag.js';

/** Lambda function names are at most 64 characters; longer ones keep a hash of the full name. */
export function lambdaFunctionName(prefix: string, entryName: string): string {
  const full = `${prefix}-${entryName}`;
  if (full.length <= 64) return full;
  const hash = createHash('sha256').update(full).digest('hex').slice(0, 8);
  return `${full.slice(0, 55).replace(/-+$/, '')}-${hash}`;
}

/** The conventional name, so the console and `aws logs tail` find it. */
export function logGroupName(functionName: string): string {
  return `/aws/lambda/${functionName}`;
}

/** ARN pattern of the log groups of every function whose name starts with `functionNamePrefix`. */
export function logGroupArnPattern(scope: Construct, functionNamePrefix: string): string {
  return Stack.of(scope).formatArn({
    service: 'logs', resource: 'log-group', resourceName: `${logGroupName(functionNamePrefix)}*:*`, arnFormat: ArnFormat.COLON_RESOURCE_NAME,
  });
}

export interface AppFunctionProps {
  /** explicit, so the dashboard and alarms can name it without cross-stack references */
  functionName: string;
  /** folder holding index.mjs */
  codeDir: string;
  role: iam.IRole;
  environment: Record<string, string>;
  description?: string;
  /** default 1024 */
  memorySize?: number;
  /** default 10 s */
  timeout?: Duration;
  /** default one month */
  logRetention?: logs.RetentionDays;
  /**
   * Grant the role write access to this function's log group (default true). A role shared by
   * many functions grants a name pattern instead (see `logGroupArnPattern`), so its inline policy
   * does not grow by one ARN per function towards IAM's 10,240-character limit.
   */
  grantLogs?: boolean;
  /**
   * Adds the AWS Parameters and Secrets Lambda Extension (a layer answering on localhost:2773,
   * with a cache), through which shared/domain/auth/signing-key.ts reads the JWT secret. Only
   * for functions whose grants include the secret: it costs the others cold-start time.
   */
  parametersExtension?: boolean;
  /** executions reserved for this function (see `reservedConcurrency` in infra/functions.ts) */
  reservedConcurrency?: number;
}

/** One extension configuration for every function that reads parameters. */
const parametersExtension = lambda.ParamsAndSecretsLayerVersion.fromVersion(lambda.ParamsAndSecretsVersions.V1_0_103, {
  cacheEnabled: true,
  parameterStoreTtl: Duration.minutes(5),
  logLevel: lambda.ParamsAndSecretsLogLevel.WARN,
});

export class AppFunction extends Construct {
  readonly function: lambda.Function;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: AppFunctionProps) {
    super(scope, id);
    this.logGroup = new logs.LogGroup(this, 'Logs', {
      logGroupName: logGroupName(props.functionName),
      retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.function = new lambda.Function(this, 'Function', {
      functionName: props.functionName,
      description: props.description,
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      // A new asset object per function: an asset belongs to one stack (nested stacks included).
      code: lambda.Code.fromAsset(props.codeDir),
      handler: 'index.handler',
      memorySize: props.memorySize ?? 1024,
      timeout: props.timeout ?? Duration.seconds(10),
      role: props.role,
      logGroup: this.logGroup,
      environment: props.environment,
      ...(props.parametersExtension ? { paramsAndSecrets: parametersExtension } : {}),
      ...(props.reservedConcurrency === undefined ? {} : { reservedConcurrentExecutions: props.reservedConcurrency }),
    });
    // The role is given, so nothing adds the managed AWSLambdaBasicExecutionRole: write access to
    // exactly this log group is granted here instead (or by the owner of a shared role).
    if (props.grantLogs ?? true) this.logGroup.grantWrite(props.role);
    acknowledge(this.function, 'AwsSolutions-L1',
      'Node.js 22 is the runtime this project builds for (esbuild target node22) and tests on; moving to a newer runtime is a deliberate, tested change.');
  }
}
