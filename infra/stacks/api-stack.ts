// The HTTP API: one API Gateway HTTP API, and one Lambda plus one route per entry of the route
// table. Routes are grouped into nested stacks by domain (a domain larger than
// `maxRoutesPerStack` is split), so no template comes near CloudFormation's 500-resource limit.
import { CfnOutput, Duration, NestedStack, Stack, type StackProps } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { grantsOf, type RouteContract } from '../../shared/contract/route.js';
import { docsAssetsFolder, httpEntryName, httpEntryPrefix, shipsDocsAssets } from '../bundle.js';
import { AppFunction, lambdaFunctionName, logGroupArnPattern } from '../constructs/app-function.js';
import { acknowledge, wildcardResourceFinding } from '../constructs/nag.js';
import { grant, grantsName, routeGrants, type Grants } from '../constructs/permissions.js';
import { importTable, type DataParameters } from './data-stack.js';

/** Each route costs 5 resources (function, log group, integration, route, permission). */
export const defaultMaxRoutesPerStack = 60;

/** Headers the PWA sends (conditional requests, idempotent retries) and reads. */
const corsAllowHeaders = ['authorization', 'content-type', 'if-match', 'if-none-match', 'idempotency-key'];
const corsExposeHeaders = ['etag', 'location', 'retry-after', 'idempotent-replayed'];

export interface RouteFunction {
  contract: RouteContract;
  entryName: string;
  functionName: string;
  /** what its role may do, from `grantsOf(contract)` */
  grants: Grants;
  /** construct id of its role in the nested stack: `Role<grants name>` */
  roleId: string;
  /** construct id of the nested stack holding it */
  group: string;
}

export interface ApiStackProps extends StackProps {
  routes: readonly RouteContract[];
  /** folder of a bundle by entry name (see infra/bundle.ts) */
  codeDirOf: (entryName: string) => string;
  /** the data stack's SSM parameters (weak references: see DataStack) */
  dataParameters: DataParameters;
  /** attachments bucket name (see DataStack.bucketName) */
  bucketName: string;
  /** variables every function gets (see shared/config.ts); TABLE_NAME is added from the data stack's parameter */
  environment: Record<string, string>;
  corsOrigins: readonly string[];
  mailFrom: string;
  jwtSecretParameterName: string;
  functionNamePrefix: string;
  logRetention: logs.RetentionDays;
  memorySize?: number;
  maxRoutesPerStack?: number;
  throttle?: { burstLimit: number; rateLimit: number };
  /** public base URL given to the functions; default the API's own endpoint */
  publicUrl?: string;
}

/** Groups routes by domain, in route-table order, each group at most `max` routes. */
export function groupRoutes(routes: readonly RouteContract[], max: number): Map<string, RouteContract[]> {
  const byDomain = new Map<string, RouteContract[]>();
  for (const contract of routes) {
    const list = byDomain.get(contract.domain) ?? [];
    list.push(contract);
    byDomain.set(contract.domain, list);
  }
  const groups = new Map<string, RouteContract[]>();
  for (const [domain, list] of byDomain) {
    const name = `Routes${pascal(domain)}`;
    for (let start = 0; start < list.length; start += max) {
      groups.set(start === 0 ? name : `${name}${start / max + 1}`, list.slice(start, start + max));
    }
  }
  return groups;
}

function pascal(value: string): string {
  return value.split(/[^A-Za-z0-9]+/).filter(Boolean).map((part) => part[0]!.toUpperCase() + part.slice(1)).join('');
}

export class ApiStack extends Stack {
  readonly api: apigwv2.HttpApi;
  readonly stage: apigwv2.HttpStage;
  readonly accessLogs: logs.LogGroup;
  readonly routeFunctions: RouteFunction[] = [];
  readonly groups: RouteGroupStack[] = [];

  constructor(scope: Construct, id: string, props: ApiStackProps) {
    super(scope, id, props);
    if (props.routes.length >= 300) {
      throw new Error(`${props.routes.length} routes: an HTTP API takes at most 300 routes and integrations`);
    }

    this.api = new apigwv2.HttpApi(this, 'HttpApi', {
      apiName: `${props.functionNamePrefix}-api`,
      description: 'Home Warehouse API: one Lambda per route of shared/contract',
      createDefaultStage: false,
      corsPreflight: {
        allowOrigins: [...props.corsOrigins],
        allowMethods: [
          apigwv2.CorsHttpMethod.GET, apigwv2.CorsHttpMethod.POST, apigwv2.CorsHttpMethod.PUT,
          apigwv2.CorsHttpMethod.PATCH, apigwv2.CorsHttpMethod.DELETE, apigwv2.CorsHttpMethod.HEAD,
          apigwv2.CorsHttpMethod.OPTIONS,
        ],
        allowHeaders: corsAllowHeaders,
        exposeHeaders: corsExposeHeaders,
        maxAge: Duration.days(1),
      },
    });

    this.accessLogs = new logs.LogGroup(this, 'AccessLogs', { retention: props.logRetention });
    const throttle = props.throttle ?? { burstLimit: 200, rateLimit: 100 };
    this.stage = new apigwv2.HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle,
      accessLogSettings: {
        destination: new apigwv2.LogGroupLogDestination(this.accessLogs),
        format: apigateway.AccessLogFormat.custom(JSON.stringify({
          requestId: '$context.requestId',
          requestTime: '$context.requestTime',
          ip: '$context.identity.sourceIp',
          routeKey: '$context.routeKey',
          path: '$context.path',
          status: '$context.status',
          protocol: '$context.protocol',
          responseLength: '$context.responseLength',
          latency: '$context.responseLatency',
          integrationLatency: '$context.integrationLatency',
          integrationStatus: '$context.integrationStatus',
          integrationErrorMessage: '$context.integrationErrorMessage',
          errorMessage: '$context.error.message',
        })),
      },
    });

    const publicUrl = props.publicUrl ?? this.api.apiEndpoint;
    // Read from the data stack's parameters here, once; the nested stacks get the values as parameters.
    const table = importTable(this, props.dataParameters);
    for (const [groupId, contracts] of groupRoutes(props.routes, props.maxRoutesPerStack ?? defaultMaxRoutesPerStack)) {
      const group = new RouteGroupStack(this, groupId, {
        ...props, contracts, api: this.api, publicUrl, table, environment: { ...props.environment, TABLE_NAME: table.tableName },
      });
      this.groups.push(group);
      for (const routeFunction of group.routeFunctions) this.routeFunctions.push({ ...routeFunction, group: groupId });
    }
    this.throttleRoutes();

    new CfnOutput(this, 'ApiUrl', { value: this.api.apiEndpoint, description: 'Base URL of the HTTP API ($default stage)' });
  }

  /**
   * Routes that declare `throttle` (shared/contract/route.ts) get it as a route setting of the
   * stage, in place of the stage's default. A route setting names a route that must exist when the
   * stage is deployed, so the stage waits for the nested stacks holding those routes.
   */
  private throttleRoutes() {
    const throttled = this.routeFunctions.filter((routeFunction) => routeFunction.contract.throttle);
    if (throttled.length === 0) return;
    const stage = this.stage.node.defaultChild as apigwv2.CfnStage;
    // `RouteSettings` is untyped JSON in the L1 construct: CloudFormation's own property names.
    stage.routeSettings = Object.fromEntries(throttled.map(({ contract }) => [`${contract.method} ${contract.path}`, {
      ThrottlingRateLimit: contract.throttle!.rate,
      ThrottlingBurstLimit: contract.throttle!.burst,
    }]));
    for (const group of this.groups) {
      if (throttled.some((routeFunction) => routeFunction.group === group.node.id)) this.stage.node.addDependency(group);
    }
  }
}

interface RouteGroupProps extends ApiStackProps {
  contracts: RouteContract[];
  api: apigwv2.IHttpApi;
  publicUrl: string;
  table: dynamodb.ITable;
}

/** The longest common start of the names (at least the domain prefix they all share). */
function commonPrefix(names: readonly string[]): string {
  let prefix = names[0] ?? '';
  for (const name of names) while (!name.startsWith(prefix)) prefix = prefix.slice(0, -1);
  return prefix;
}

/** The Lambdas and routes of one domain (or one slice of a large domain). */
export class RouteGroupStack extends NestedStack {
  /** one role per distinct set of grants among the group's routes, by construct id */
  readonly roles = new Map<string, iam.Role>();
  readonly routeFunctions: Omit<RouteFunction, 'group'>[] = [];
  readonly functions: lambda.Function[] = [];

  constructor(scope: Construct, id: string, props: RouteGroupProps) {
    super(scope, id, { description: `HTTP routes: ${props.contracts[0]?.domain ?? id}` });

    // Routes with identical grants share a role: a role per route would add two resources per
    // route and no privilege separation; a route needing less or more gets a role of its own kind.
    const planned = props.contracts.map((contract) => {
      const entryName = httpEntryName(contract);
      const grants = routeGrants(grantsOf(contract));
      return { contract, entryName, functionName: lambdaFunctionName(props.functionNamePrefix, entryName), grants, roleId: `Role${grantsName(grants)}` };
    });
    const sharing = new Map<string, string[]>();
    for (const { roleId, functionName } of planned) sharing.set(roleId, [...(sharing.get(roleId) ?? []), functionName]);
    for (const [roleId, functionNames] of sharing) {
      const grants = planned.find((entry) => entry.roleId === roleId)!.grants;
      this.roles.set(roleId, this.routeRole(roleId, grants, functionNames, props));
    }

    for (const { contract, entryName, functionName, grants, roleId } of planned) {
      const environment: Record<string, string> = { ...props.environment, PUBLIC_URL: props.publicUrl };
      if (shipsDocsAssets(contract)) environment.DOCS_ASSETS_DIR = `/var/task/${docsAssetsFolder}`;

      const { function: fn } = new AppFunction(this, entryName, {
        functionName,
        description: `${contract.method} ${contract.path} (${contract.id})`,
        codeDir: props.codeDirOf(entryName),
        role: this.roles.get(roleId)!,
        environment,
        memorySize: props.memorySize ?? 1024,
        timeout: Duration.seconds(contract.timeout ?? 10),
        logRetention: props.logRetention,
        parametersExtension: grants.signingSecret,
        // a shared role writes to its functions' log groups by name pattern (see routeRole)
        grantLogs: sharing.get(roleId)!.length === 1,
      });
      const route = new apigwv2.HttpRoute(this, `${entryName}-route`, {
        httpApi: props.api,
        routeKey: apigwv2.HttpRouteKey.with(contract.path, apigwv2.HttpMethod[contract.method]),
        integration: new HttpLambdaIntegration(`${entryName}-integration`, fn),
      });
      acknowledge(route, 'AwsSolutions-APIG4',
        'Authorization is done in the Lambda: the middy stack verifies the JWT and the workspace role declared by the route contract (public routes take no token).');
      this.functions.push(fn);
      this.routeFunctions.push({ contract, entryName, functionName, grants, roleId });
    }
  }

  private routeRole(id: string, grants: Grants, functionNames: string[], props: RouteGroupProps): iam.Role {
    const role = new iam.Role(this, id, {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `HTTP route Lambdas of ${this.node.id} with grants ${grantsName(grants)}`,
    });
    grant(role, grants, props);
    if (functionNames.length > 1) {
      // Write access to the log groups of the role's functions by their common name prefix: one
      // pattern instead of one ARN per function keeps the inline policy under IAM's size limit.
      // The prefix is at least `<prefix>-http-<domain>-`, so it may also match log groups of the
      // domain's other functions: log writes only, never their data.
      const namePrefix = commonPrefix(functionNames);
      const domainPrefix = `${props.functionNamePrefix}-${httpEntryPrefix(props.contracts[0]!.domain)}`;
      if (!namePrefix.startsWith(domainPrefix)) throw new Error(`${functionNames.join(', ')} do not share the prefix ${domainPrefix}`);
      const logGroups = logGroupArnPattern(this, namePrefix);
      role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [logGroups] }));
      acknowledge(role, wildcardResourceFinding(role, logGroups),
        `The log groups of this role's functions, all named /aws/lambda/${namePrefix}*: one pattern instead of one ARN per function keeps the role's inline policy under IAM's size limit.`);
    }
    return role;
  }
}
