// The esbuild step and the whole CDK app, synthesised without the CLI: the real route table with
// the real bundles (plus one injected scheduled job, to exercise the scheduler path whatever the
// real list holds), and a synthetic app of 170 routes to prove the layout scales. cdk-nag's
// AwsSolutions checks run in both synths. One file, so the functions are bundled once per run.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Match, Template } from 'aws-cdk-lib/assertions';
import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { beforeAll, describe, expect, it } from 'vitest';
import { routeTable } from '../../shared/contract/index.js';
import type { HttpMethod, RouteContract } from '../../shared/contract/route.js';
import { tableDefinition } from '../../shared/db/table-definition.js';
import * as metricNames from '../../shared/observability/metric-names.js';
import { bundleFunctions, docsAssetFiles, docsAssetsFolder, lambdaTargets, type BundleResult } from '../../infra/bundle.js';
import { minimumReasonLength, acknowledgements } from '../../infra/constructs/nag.js';
import { jobRunner, scheduledJobs, type JobDeclaration } from '../../infra/functions.js';
import { buildApp, type BuiltApp } from '../../infra/stacks/index.js';
import { attachmentsPrefix, jobFilesPrefix } from '../../infra/stacks/data-stack.js';
import { backupsPrefix, uploadsPrefix } from '../../infra/bucket-prefixes.js';
import { jobKeptDays } from '../../shared/contract/jobs.js';
import { backupKeptDays } from '../../shared/contract/backups.js';
import { metricsPerAlarm } from '../../infra/stacks/observability-stack.js';
import { apiEvent, lambdaContext } from '../support/lambda.js';
import { cfnLint, cfnLintIgnored } from './helpers.js';

const resourceLimit = 400;
const apiRouteLimit = 300;

/** A job the app does not have yet, to exercise the scheduler path; its module is a real one. */
const injectedJob: JobDeclaration = {
  name: 'test-nightly', module: 'functions/s3/verify-upload.ts', export: 'handler',
  schedule: 'cron(30 2 * * ? *)', description: 'Injected by the infra test',
  grants: { table: 'read', attachments: ['read'], mail: false }, reservedConcurrency: 2,
};
const jobs = [...scheduledJobs, injectedJob];

interface Synth {
  built: BuiltApp;
  assembly?: CloudAssembly;
  error?: Error;
  ms: number;
}

function synth(build: () => BuiltApp): Synth {
  const started = performance.now();
  const built = build();
  try {
    const assembly = built.app.synth();
    return { built, assembly, ms: Math.round(performance.now() - started) };
  } catch (error) {
    return { built, error: error as Error, ms: Math.round(performance.now() - started) };
  }
}

function assemblyOf(result: Synth): CloudAssembly {
  if (!result.assembly) throw result.error ?? new Error('no assembly');
  return result.assembly;
}

/** Every template of the assembly, nested stacks included, with its resources. */
function templates(assembly: CloudAssembly): { file: string; resources: Record<string, { Type: string; Properties?: Record<string, unknown> }> }[] {
  return readdirSync(assembly.directory)
    .filter((file) => file.endsWith('.template.json'))
    .map((file) => ({ file, resources: (JSON.parse(readFileSync(join(assembly.directory, file), 'utf8')) as { Resources?: Record<string, never> }).Resources ?? {} }));
}

function resourcesOfType(assembly: CloudAssembly, type: string) {
  return templates(assembly).flatMap(({ file, resources }) =>
    Object.entries(resources).filter(([, resource]) => resource.Type === type).map(([id, resource]) => ({ file, id, properties: resource.Properties ?? {} })));
}

function report(assembly: CloudAssembly): { pluginReports: { violations?: { ruleName: string; severity: string }[] }[] } {
  const file = readdirSync(assembly.directory).find((name) => name.endsWith('validation-report.json'));
  return file ? JSON.parse(readFileSync(join(assembly.directory, file), 'utf8')) : { pluginReports: [] };
}


function log(line: string): void {
  process.stdout.write(`${line}\n`);
}

/** Synth faster in tests: reference bundles in place, skip construct stack traces. */
const testContext = { 'aws:cdk:disable-asset-staging': true, 'aws:cdk:disable-stack-trace': true };

let bundle: BundleResult;
let main: Synth;
let scale: Synth;
let syntheticRoutes: RouteContract[];

beforeAll(() => {
  bundle = bundleFunctions({ outDir: mkdtempSync(join(tmpdir(), 'hw-infra-bundle-')), routes: routeTable, jobs });
  main = synth(() => buildApp({ routes: routeTable, bundle, jobs, context: testContext, outdir: mkdtempSync(join(tmpdir(), 'hw-infra-main-')), alarmEmail: 'ops@example.com', appUrl: 'https://app.example.com' }));

  const methods: HttpMethod[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];
  syntheticRoutes = Array.from({ length: 170 }, (_, index) => {
    const domain = `domain${index % 12}`;
    return {
      id: `operation${index}`, domain, method: methods[index % methods.length]!, access: 'member', summary: `synthetic ${index}`, status: 200,
      path: `/workspaces/{workspace_id}/${domain}/r${index}/{id}`,
    } satisfies RouteContract;
  });
  // Every synthetic route runs the real health package: only the layout is under test here.
  const healthDir = bundle.dirOf('http-platform-health');
  scale = synth(() => buildApp({
    routes: syntheticRoutes, jobs: [],
    bundle: (name) => (name.startsWith('http-') ? healthDir : bundle.dirOf(name)),
    outdir: mkdtempSync(join(tmpdir(), 'hw-infra-scale-')),
    context: testContext,
  }));
  log(`synth: real app ${main.ms} ms, ${syntheticRoutes.length}-route app ${scale.ms} ms`);
});

describe('bundleFunctions', () => {
  it('builds one package per Lambda: every route, the change feed, the upload verifier, the jobs', () => {
    expect(bundle.entries.map((entry) => entry.name)).toEqual(lambdaTargets(routeTable, jobs).map((target) => target.name));
    expect(bundle.entries.filter((entry) => entry.kind === 'http')).toHaveLength(routeTable.length);
    expect(bundle.entries.map((entry) => entry.name)).toEqual(expect.arrayContaining(['http-platform-health', 'stream-change-feed', 's3-verify-upload']));
    // the build's time is a figure of `npm run bench -- --only bundles`, not a test's business
    log(`bundled ${bundle.entries.length} Lambdas in ${bundle.durationMs} ms`);
    for (const entry of bundle.entries) {
      expect(entry.dir).toBe(join(bundle.outDir, entry.name));
      expect(entry.bytes).toBeGreaterThan(0);
      expect(readFileSync(join(entry.dir, 'index.mjs')).length).toBe(entry.bytes);
    }
  });

  it('writes ESM with the createRequire banner, minified, without source maps', () => {
    const code = readFileSync(join(bundle.dirOf('http-platform-health'), 'index.mjs'), 'utf8');
    expect(code.startsWith("import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);")).toBe(true);
    expect(code).toMatch(/export\s*\{[^}]*as handler\s*\}/);
    expect(code).not.toContain('sourceMappingURL');
    // minified: long lines (template literals keep a few newlines)
    expect(code.length / code.split('\n').length).toBeGreaterThan(1_000);
  });

  it('tree-shakes per route: two routes of one module carry different code', () => {
    const inputsOf = (name: string) => {
      const output = Object.entries(bundle.metafile.outputs).find(([file]) => file.endsWith(`${name}/index.mjs`))![1];
      return new Set(Object.keys(output.inputs).filter((input) => !input.includes('hw-lambda-entries-')));
    };
    const health = inputsOf('http-platform-health');
    const ready = inputsOf('http-platform-ready');
    expect([...health].filter((input) => !ready.has(input))).toEqual([]);
    expect(ready.size).toBeGreaterThan(health.size);
    const bytes = (name: string) => bundle.entries.find((entry) => entry.name === name)!.bytes;
    expect(bytes('http-platform-health')).toBeLessThan(bytes('http-platform-ready'));
  });

  it('bundles every dependency, the AWS SDK included: only Node built-ins stay imports', () => {
    const builtins = new Set([...builtinModules, ...builtinModules.map((name) => `node:${name}`)]);
    for (const [file, output] of Object.entries(bundle.metafile.outputs)) {
      const external = output.imports.filter((entry) => entry.external).map((entry) => entry.path);
      expect(external.filter((path) => !builtins.has(path)), file).toEqual([]);
    }
  });

  it('ships the swagger-ui files beside the docs routes only', () => {
    for (const entry of bundle.entries) {
      const folder = join(entry.dir, docsAssetsFolder);
      expect(existsSync(folder), entry.name).toBe(entry.docsAssets);
      if (entry.docsAssets) for (const file of docsAssetFiles) expect(existsSync(join(folder, file))).toBe(true);
    }
    expect(bundle.entries.filter((entry) => entry.docsAssets).map((entry) => entry.name).sort())
      .toEqual(['http-platform-docs', 'http-platform-docs-asset']);
  });

  it('builds once per process for the same options', () => {
    const again = bundleFunctions({ outDir: bundle.outDir, routes: routeTable, jobs });
    expect(again.durationMs).toBe(0);
    expect(again.entries).toBe(bundle.entries);
  });

  /** Runs one bundled route in a fresh Node process with an API Gateway event; answers its response. */
  function invokeBundle(entryName: string, path: string) {
    const eventFile = join(mkdtempSync(join(tmpdir(), 'hw-infra-event-')), 'event.json');
    writeFileSync(eventFile, JSON.stringify({ event: apiEvent('GET', path), context: lambdaContext(entryName) }));
    const script = [
      `const { handler } = await import(${JSON.stringify(pathToFileURL(join(bundle.dirOf(entryName), 'index.mjs')).href)});`,
      `const { event, context } = JSON.parse(await (await import('node:fs/promises')).readFile(${JSON.stringify(eventFile)}, 'utf8'));`,
      `context.getRemainingTimeInMillis = () => 10000;`,
      `const response = await handler(event, context);`,
      `process.stdout.write('\\nRESULT ' + JSON.stringify(response) + '\\n');`,
    ].join('\n');
    const output = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      env: { PATH: process.env.PATH ?? '', AWS_REGION: 'us-east-1', STAGE: 'aws' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    const line = output.split('\n').find((candidate) => candidate.startsWith('RESULT '));
    return JSON.parse(line!.slice('RESULT '.length)) as { statusCode: number; body: string };
  }

  it('keeps the document (with the contract\'s examples) out of every bundle: its route serves it from the file built beside it', () => {
    const response = invokeBundle('http-platform-openapi', '/openapi.json');
    expect(response.statusCode).toBe(200);
    const document = JSON.parse(response.body) as { paths: Record<string, unknown>; components: { schemas: Record<string, { examples?: unknown[] }> } };
    expect(document.components.schemas.User?.examples?.length).toBe(1);
    expect(document.components.schemas.Workspace?.examples?.length).toBe(1);
    expect(Object.keys(document.paths).length).toBeGreaterThan(50);
    const example = 'Ada Lovelace';
    expect(readFileSync(join(bundle.dirOf('http-platform-openapi'), 'openapi.json'), 'utf8')).toContain(example);
    for (const entry of bundle.entries.filter((candidate) => candidate.kind === 'http')) {
      const code = readFileSync(join(entry.dir, 'index.mjs'), 'utf8');
      expect(code, entry.name).not.toContain(example);
      // a route's prose (summaries, descriptions) is the document's, not the bundle's
      expect(code, entry.name).not.toContain('One workspace');
    }
  });

  it('carries only the declarations a route reaches: other routes of its contract module are left out', () => {
    const code = readFileSync(join(bundle.dirOf('http-workspaces-get-workspace'), 'index.mjs'), 'utf8');
    expect(code).toContain('"getWorkspace"');
    expect(code).not.toContain('"deleteWorkspace"');
    expect(code).not.toContain('"listMembers"');
  });

  it('runs in a plain Node process: the health bundle answers 200', () => {
    const eventFile = join(mkdtempSync(join(tmpdir(), 'hw-infra-event-')), 'health-event.json');
    writeFileSync(eventFile, JSON.stringify({ event: apiEvent('GET', '/health'), context: lambdaContext('health') }));
    const script = [
      `const { handler } = await import(${JSON.stringify(pathToFileURL(join(bundle.dirOf('http-platform-health'), 'index.mjs')).href)});`,
      `const { event, context } = JSON.parse(await (await import('node:fs/promises')).readFile(${JSON.stringify(eventFile)}, 'utf8'));`,
      `context.getRemainingTimeInMillis = () => 10000;`,
      `const response = await handler(event, context);`,
      `process.stdout.write('\\nRESULT ' + JSON.stringify(response) + '\\n');`,
    ].join('\n');
    const output = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      env: { PATH: process.env.PATH ?? '', AWS_REGION: 'us-east-1', STAGE: 'aws' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    const line = output.split('\n').find((candidate) => candidate.startsWith('RESULT '));
    const response = JSON.parse(line!.slice('RESULT '.length)) as { statusCode: number; body: string };
    expect(response.statusCode).toBe(200);
    expect(JSON.parse(response.body)).toEqual({ status: 'ok' });
  });
});

describe('cdk-nag (AwsSolutions)', () => {
  it('finds no unacknowledged error: the synth does not throw', () => {
    expect(main.error?.message).toBeUndefined();
    expect(scale.error?.message).toBeUndefined();
  });

  it('leaves no unacknowledged finding in the validation report', () => {
    for (const result of [main, scale]) {
      const violations = report(assemblyOf(result)).pluginReports.flatMap((plugin) => plugin.violations ?? []);
      expect(violations.map((violation) => `${violation.severity} ${violation.ruleName}`)).toEqual([]);
    }
  });

  it('gives every acknowledgement a specific reason', () => {
    const found = acknowledgements(main.built.app);
    expect(found.length).toBeGreaterThan(0);
    for (const entry of found) {
      expect(entry.id, entry.path).toMatch(/AwsSolutions-[A-Z]+\d+/);
      expect(entry.reason.trim().length, `${entry.path} ${entry.id}`).toBeGreaterThanOrEqual(minimumReasonLength);
    }
    // cdk-nag ran (it writes the acknowledgements into the templates too) and kept every reason.
    const inTemplates = templates(assemblyOf(main)).flatMap(({ resources }) => Object.values(resources)
      .flatMap((resource) => ((resource as { Metadata?: { cdk_nag?: { rules_to_suppress: { id: string; reason: string }[] } } }).Metadata?.cdk_nag?.rules_to_suppress ?? [])));
    expect(inTemplates.length).toBeGreaterThan(0);
    for (const rule of inTemplates) expect(rule.reason.trim().length, rule.id).toBeGreaterThanOrEqual(minimumReasonLength);
    const distinct = [...new Map(found.map((entry) => [`${entry.id.replace(/\[.*$/, '')}: ${entry.reason}`, entry])).keys()].sort();
    log(`acknowledged (${found.length} places):\n  ${distinct.join('\n  ')}`);
  });
});

describe('cfn-lint', () => {
  it('finds nothing in any template of either synth, nested stacks included, beyond its reasoned ignore list', () => {
    for (const [name, result] of [['real app', main], [`${syntheticRoutes.length}-route app`, scale]] as const) {
      const lint = cfnLint(assemblyOf(result));
      if (lint.skipped) {
        log(`NOTICE: ${lint.skipped}`);
        return;
      }
      const ignored = Object.entries(lint.ignored).map(([rule, count]) => `${rule} ×${count}`).join(', ') || 'none';
      log(`${lint.version}: ${lint.templates} templates of the ${name}, ${lint.findings.length} findings; ignored (${cfnLintIgnored.join(', ')}): ${ignored}`);
      expect(lint.findings.map((finding) => `${finding.Rule.Id} ${basename(finding.Filename)}:${finding.Location.Start.LineNumber} ${finding.Message}`)).toEqual([]);
    }
  });
});

describe('resource limits', () => {
  it(`keeps every template, nested ones included, at most ${resourceLimit} resources`, () => {
    for (const result of [main, scale]) {
      const counts = templates(assemblyOf(result)).map(({ file, resources }) => ({ file, count: Object.keys(resources).length }));
      log(counts.map(({ file, count }) => `${count}\t${file}`).join('\n'));
      expect(counts.length).toBeGreaterThan(4);
      for (const { file, count } of counts) expect(count, file).toBeLessThanOrEqual(resourceLimit);
    }
  });

  it(`scales to ${170} routes in 12 domains under the HTTP API limit of ${apiRouteLimit} routes`, () => {
    const assembly = assemblyOf(scale);
    expect(resourcesOfType(assembly, 'AWS::Lambda::Function').filter(({ file }) => file.includes('nested'))).toHaveLength(syntheticRoutes.length);
    const routes = resourcesOfType(assembly, 'AWS::ApiGatewayV2::Route');
    expect(routes).toHaveLength(syntheticRoutes.length);
    expect(routes.length).toBeLessThan(apiRouteLimit);
    expect(scale.built.api.groups).toHaveLength(12);
  });

  it('keeps shared roles small: their policies do not grow with the number of routes', () => {
    // IAM allows 10,240 characters of inline policy per role; a domain may hold up to 60 routes.
    for (const { file, properties } of resourcesOfType(assemblyOf(scale), 'AWS::IAM::Policy')) {
      expect(JSON.stringify(properties.PolicyDocument).length, file).toBeLessThan(4_000);
    }
  });
});

describe('data stack', () => {
  let template: Template;
  beforeAll(() => {
    assemblyOf(main);
    template = Template.fromStack(main.built.data);
  });

  it('builds the single table from shared/db/table-definition.ts', () => {
    template.resourceCountIs('AWS::DynamoDB::Table', 1);
    template.hasResource('AWS::DynamoDB::Table', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [
        { AttributeName: tableDefinition.partitionKey, KeyType: 'HASH' },
        { AttributeName: tableDefinition.sortKey, KeyType: 'RANGE' },
      ],
      AttributeDefinitions: Match.arrayWith([
        { AttributeName: 'PK', AttributeType: 'S' }, { AttributeName: 'SK', AttributeType: 'S' },
      ]),
      GlobalSecondaryIndexes: tableDefinition.globalSecondaryIndexes.map((index) => ({
        IndexName: index.name,
        KeySchema: [{ AttributeName: index.partitionKey, KeyType: 'HASH' }, { AttributeName: index.sortKey, KeyType: 'RANGE' }],
        Projection: { ProjectionType: 'ALL' },
      })),
      TimeToLiveSpecification: { AttributeName: 'ttl', Enabled: true },
      StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      DeletionProtectionEnabled: true,
    });
    expect(tableDefinition.globalSecondaryIndexes.map((index) => index.name)).toEqual(['GSI1', 'GSI2', 'GSI3', 'GSI4']);
  });

  it('keeps the attachments bucket private, encrypted and TLS-only', () => {
    const blockAll = { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true };
    for (const bucket of Object.values(template.findResources('AWS::S3::Bucket'))) {
      expect(bucket.Properties.PublicAccessBlockConfiguration).toEqual(blockAll);
      expect(bucket.Properties.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault.SSEAlgorithm).toMatch(/AES256|aws:kms/);
      expect(bucket.DeletionPolicy).toBe('Retain');
    }
    template.resourcePropertiesCountIs('AWS::S3::BucketPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    }, 2);
  });

  it('versions the attachments bucket, bounds what versioning keeps, expires job files, job uploads and backups by prefix, allows the PWA by CORS and emits EventBridge events', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      VersioningConfiguration: { Status: 'Enabled' },
      LifecycleConfiguration: {
        Rules: [
          { Id: 'abort-incomplete-multipart-uploads', AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 }, Status: 'Enabled' },
          { Id: 'expire-replaced-versions', NoncurrentVersionExpiration: { NoncurrentDays: 1 }, Status: 'Enabled' },
          { Id: 'remove-expired-delete-markers', ExpiredObjectDeleteMarker: true, Status: 'Enabled' },
          // the files background jobs make (label sheets, reports) go with their job record
          { Id: 'expire-job-files', Prefix: 'jobs/', ExpirationInDays: jobKeptDays, Status: 'Enabled' },
          // files uploaded for a job (a large import, an archive to restore) go with their job record too
          { Id: 'expire-job-uploads', Prefix: 'uploads/', ExpirationInDays: jobKeptDays, Status: 'Enabled' },
          // backup archives (and the parts a backup writes before joining them) are kept 30 days
          { Id: 'expire-backups', Prefix: 'backups/', ExpirationInDays: backupKeptDays, Status: 'Enabled' },
        ],
      },
      CorsConfiguration: { CorsRules: [Match.objectLike({ AllowedMethods: ['GET', 'HEAD', 'POST'], AllowedOrigins: ['*'] })] },
      NotificationConfiguration: { EventBridgeConfiguration: { EventBridgeEnabled: true } },
      LoggingConfiguration: Match.objectLike({ DestinationBucketName: Match.anyValue() }),
    });
    // no expiration of attachments by prefix (abandoned upload forms leave no object; the
    // attachment-cleanup job removes their records): the only prefix rules are the job files',
    // the job uploads' and the backups', all outside them
    expect(JSON.stringify(template.findResources('AWS::S3::Bucket')).match(/"Prefix":"[^"]*"/g))
      .toEqual(['"Prefix":"jobs/"', '"Prefix":"uploads/"', '"Prefix":"backups/"']);
    expect(attachmentsPrefix).toBe('workspaces/');
    expect([jobFilesPrefix, uploadsPrefix, backupsPrefix]).toEqual(['jobs/', 'uploads/', 'backups/']);
    for (const prefix of [jobFilesPrefix, uploadsPrefix, backupsPrefix]) expect(prefix.startsWith(attachmentsPrefix), prefix).toBe(false);
    expect(jobKeptDays).toBe(7);
    expect(backupKeptDays).toBe(30);
  });
});

describe('API stack', () => {
  it('has one Node.js 22 arm64 Lambda per route, across the nested stacks', () => {
    const assembly = assemblyOf(main);
    const functions = main.built.api.groups.flatMap((group) => Object.values(Template.fromStack(group).findResources('AWS::Lambda::Function')));
    expect(functions).toHaveLength(routeTable.length);
    expect(resourcesOfType(assembly, 'AWS::Lambda::Function').filter(({ file }) => file.startsWith('hw-api'))).toHaveLength(0);
    for (const fn of functions) {
      // 10 s, but what a route's contract says (the sync batch, exports and imports: 29 s; the API's integration timeout is 30 s)
      const contract = routeTable.find((route) => String(fn.Properties.Description).includes(`(${route.id})`));
      expect(contract, String(fn.Properties.Description)).toBeDefined();
      expect(fn.Properties).toMatchObject({ Runtime: 'nodejs22.x', Architectures: ['arm64'], Handler: 'index.handler', Timeout: contract!.timeout ?? 10 });
      expect(fn.Properties.MemorySize).toBeGreaterThanOrEqual(512);
      expect(fn.Properties.MemorySize).toBeLessThanOrEqual(1024);
      expect(Object.keys(fn.Properties.Environment.Variables)).toEqual(expect.arrayContaining([
        'STAGE', 'TABLE_NAME', 'BUCKET_NAME', 'MAIL_FROM', 'JWT_SECRET_PARAMETER', 'CORS_ORIGINS', 'SERVICE_NAME',
        'METRICS_NAMESPACE', 'POWERTOOLS_SERVICE_NAME', 'POWERTOOLS_METRICS_NAMESPACE', 'PUBLIC_URL', 'DYNAMODB_SLOW_MS',
      ]));
      expect(fn.Properties.Environment.Variables.STAGE).toBe('aws');
      // links in mail (password reset) point at the PWA, not at the API
      expect(fn.Properties.Environment.Variables.APP_URL).toBe('https://app.example.com');
      // the JWT secret is read through the Parameters and Secrets extension (signing-key.ts), by
      // the functions whose grants include it (test/infra/grants.test.ts checks which)
      const extension = JSON.stringify(fn.Properties.Layers ?? []).includes('ParamsandsecretslayerMap');
      expect(fn.Properties.Environment.Variables.PARAMETERS_SECRETS_EXTENSION_HTTP_PORT).toBe(extension ? '2773' : undefined);
      expect(fn.Properties.Environment.Variables.NODE_OPTIONS).toBeUndefined();
    }
    const withExtension = functions.filter((fn) => JSON.stringify(fn.Properties.Layers ?? []).includes('ParamsandsecretslayerMap'));
    expect(withExtension.length).toBeGreaterThan(0);
    expect(withExtension.length).toBeLessThan(functions.length);
    const withDocs = functions.filter((fn) => fn.Properties.Environment.Variables.DOCS_ASSETS_DIR === '/var/task/swagger-ui');
    expect(withDocs.map((fn) => fn.Properties.FunctionName).sort()).toEqual(['hw-http-platform-docs', 'hw-http-platform-docs-asset']);
  });

  it('gives each Lambda its own log group with a retention', () => {
    for (const group of main.built.api.groups) {
      const template = Template.fromStack(group);
      const functions = template.findResources('AWS::Lambda::Function');
      const logGroups = template.findResources('AWS::Logs::LogGroup');
      expect(Object.keys(logGroups)).toHaveLength(Object.keys(functions).length);
      for (const logGroup of Object.values(logGroups)) expect(logGroup.Properties.RetentionInDays).toBeGreaterThan(0);
      for (const fn of Object.values(functions)) expect(Object.keys(logGroups)).toContain(fn.Properties.LoggingConfig.LogGroup.Ref);
    }
  });

  it('declares one HTTP API route per contract, `METHOD /path`, each with a Lambda integration', () => {
    const routes = main.built.api.groups.flatMap((group) => Object.values(Template.fromStack(group).findResources('AWS::ApiGatewayV2::Route')));
    expect(routes).toHaveLength(routeTable.length);
    expect(routes.length).toBeLessThan(apiRouteLimit);
    expect(routes.map((route) => route.Properties.RouteKey).sort()).toEqual(routeTable.map((contract) => `${contract.method} ${contract.path}`).sort());
    const integrations = main.built.api.groups.flatMap((group) => Object.values(Template.fromStack(group).findResources('AWS::ApiGatewayV2::Integration')));
    expect(integrations).toHaveLength(routeTable.length);
    for (const integration of integrations) expect(integration.Properties).toMatchObject({ IntegrationType: 'AWS_PROXY', PayloadFormatVersion: '2.0' });
  });

  it('groups routes in one nested stack per domain', () => {
    const domains = [...new Set(routeTable.map((contract) => contract.domain))];
    expect(main.built.api.groups.length).toBe(domains.length);
    Template.fromStack(main.built.api).resourceCountIs('AWS::CloudFormation::Stack', domains.length);
  });

  it('logs access as JSON and throttles on the default stage, with CORS preflight', () => {
    const template = Template.fromStack(main.built.api);
    const stage = Object.values(template.findResources('AWS::ApiGatewayV2::Stage'))[0]!;
    expect(stage.Properties).toMatchObject({ StageName: '$default', AutoDeploy: true, DefaultRouteSettings: { ThrottlingBurstLimit: 200, ThrottlingRateLimit: 100 } });
    const format = JSON.parse(stage.Properties.AccessLogSettings.Format) as Record<string, string>;
    expect(format).toMatchObject({
      requestId: '$context.requestId', routeKey: '$context.routeKey', status: '$context.status',
      latency: '$context.responseLatency', integrationErrorMessage: '$context.integrationErrorMessage',
    });
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: Match.anyValue() });
    template.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      ProtocolType: 'HTTP',
      CorsConfiguration: Match.objectLike({ AllowOrigins: ['*'], AllowMethods: Match.arrayWith(['GET', 'POST', 'PUT']) }),
    });
  });

  it('grants only named resources, apart from acknowledged object keys and SES GetAccount', () => {
    for (const group of main.built.api.groups) {
      for (const policy of Object.values(Template.fromStack(group).findResources('AWS::IAM::Policy'))) {
        const statements = policy.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[];
        for (const statement of statements) {
          const actions = ([] as string[]).concat(statement.Action);
          expect(actions.some((action) => action.includes('*'))).toBe(false);
          if (statement.Resource === '*') expect(actions).toEqual(['ses:GetAccount']);
        }
      }
      expect(Object.keys(Template.fromStack(group).findResources('AWS::IAM::ManagedPolicy'))).toHaveLength(0);
      for (const role of Object.values(Template.fromStack(group).findResources('AWS::IAM::Role'))) expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    }
  });
});

describe('jobs stack', () => {
  let template: Template;
  beforeAll(() => {
    assemblyOf(main);
    template = Template.fromStack(main.built.jobs);
  });

  it('consumes the table stream through the StreamConsumer settings: the change feed every record, the job runner queued jobs only, one at a time, as many at once as it reserves', () => {
    template.resourceCountIs('AWS::Lambda::EventSourceMapping', 2);
    const mappings = Object.values(template.findResources('AWS::Lambda::EventSourceMapping')).map((resource) => resource.Properties);
    const functionOf = (mapping: Record<string, any>) => String(mapping.FunctionName.Ref);
    const feed = mappings.find((mapping) => functionOf(mapping).startsWith('streamchangefeed'))!;
    const runner = mappings.find((mapping) => functionOf(mapping).startsWith('streamjobrunner'))!;
    expect(feed.FilterCriteria).toBeUndefined();
    expect(runner.BatchSize).toBe(1);
    expect(runner.MaximumRetryAttempts).toBe(2);
    // any QUEUED job, whatever the event: new (INSERT), or queued again by its upload or for its next step (MODIFY)
    expect(runner.FilterCriteria.Filters.map((filter: { Pattern: string }) => JSON.parse(filter.Pattern)))
      .toEqual([{ dynamodb: { NewImage: { entity: { S: ['JOB'] }, status: { S: ['QUEUED'] } } } }]);
    // jobs of different workspaces side by side, never more than the job runner's reserved executions
    expect(runner.ParallelizationFactor).toBe(jobRunner.reservedConcurrency);
    expect(jobRunner.reservedConcurrency).toBe(4);
    const runnerFunction = template.findResources('AWS::Lambda::Function')[functionOf(runner)]!;
    expect(runnerFunction.Properties.ReservedConcurrentExecutions).toBe(jobRunner.reservedConcurrency);
    // the change feed: one batch per shard at a time, so changes to an item stay in order
    expect(feed.ParallelizationFactor).toBe(1);
    for (const mapping of [feed, runner]) {
      expect(mapping).toMatchObject({ FunctionResponseTypes: ['ReportBatchItemFailures'], BisectBatchOnFunctionError: true, StartingPosition: 'TRIM_HORIZON' });
      expect(mapping.MaximumRetryAttempts).toBeGreaterThan(0);
      expect(mapping.MaximumRetryAttempts).toBeLessThanOrEqual(10);
      expect(mapping.MaximumRecordAgeInSeconds).toBeGreaterThan(0);
      expect(mapping.MaximumRecordAgeInSeconds).toBeLessThanOrEqual(86_400);
      const [queueId] = mapping.DestinationConfig.OnFailure.Destination['Fn::GetAtt'] as [string, string];
      expect(template.findResources('AWS::SQS::Queue')[queueId]).toBeDefined();
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queueId, 'QueueName'] } }],
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
        AlarmActions: Match.anyValue(),
      });
    }
  });

  it('runs every background Lambda on Node.js 22, arm64', () => {
    const functions = Object.values(template.findResources('AWS::Lambda::Function'));
    // change feed, job runner, upload verifier, mail feedback, one per job
    expect(functions).toHaveLength(4 + jobs.length);
    for (const fn of functions) expect(fn.Properties).toMatchObject({ Runtime: 'nodejs22.x', Architectures: ['arm64'], Handler: 'index.handler' });
  });
});

describe('observability stack', () => {
  let template: Template;
  /** the dashboard body, parsed (tokens replaced by a placeholder) */
  let widgets: { type: string; properties: { title?: string; metrics?: unknown[][] } }[];
  let metricsText: string;
  beforeAll(() => {
    assemblyOf(main);
    template = Template.fromStack(main.built.observability);
    const body = Object.values(template.findResources('AWS::CloudWatch::Dashboard'))[0]!.Properties.DashboardBody as { 'Fn::Join': [string, unknown[]] };
    const text = body['Fn::Join'][1].map((part) => (typeof part === 'string' ? part : 'TOKEN')).join('');
    widgets = (JSON.parse(text) as { widgets: typeof widgets }).widgets;
    metricsText = JSON.stringify(widgets.flatMap((widget) => widget.properties.metrics ?? []));
  });

  it('charts the app metrics by the names in shared/observability/metric-names.ts', () => {
    for (const name of Object.values(metricNames)) {
      expect(metricsText.includes(`MetricName=\\"${name}\\"`), name).toBe(true);
      expect(widgets.some((widget) => widget.properties.title?.startsWith(name)), name).toBe(true);
    }
    expect(metricsText).toContain('Namespace=\\"HomeWarehouse\\"');
  });

  it('charts duration p50/p99 and errors of every route Lambda, and the API', () => {
    const lines = widgets.flatMap((widget) => widget.properties.metrics ?? []).filter((line) => typeof line[0] === 'string');
    const statOf = (line: unknown[]) => (line.at(-1) as { stat?: string }).stat;
    expect(main.built.api.routeFunctions).toHaveLength(routeTable.length);
    for (const fn of main.built.api.routeFunctions) {
      const own = lines.filter((line) => line[0] === 'AWS/Lambda' && line[3] === fn.functionName);
      expect(own.filter((line) => line[1] === 'Duration').map(statOf).sort(), fn.functionName).toEqual(['p50', 'p99']);
      expect(own.filter((line) => line[1] === 'Errors').map(statOf), fn.functionName).toEqual(['Sum']);
    }
    for (const metric of ['Count', '4xx', '5xx', 'Latency']) {
      expect(lines.some((line) => line[0] === 'AWS/ApiGateway' && line[1] === metric && line[2] === 'ApiId'), metric).toBe(true);
    }
  });

  it('alarms on the API 5xx rate, Lambda errors and throttles, and ServerErrors, to an encrypted TLS-only topic', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Threshold: 1,
      Metrics: Match.arrayWith([Match.objectLike({ Expression: Match.stringLikeRegexp('100 \\* errors / requests') })]),
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Metrics: [Match.objectLike({ Expression: Match.stringLikeRegexp(`SUM\\(${metricNames.serverErrors}\\)`) })],
    });
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm'));
    for (const metric of ['Errors', 'Throttles']) {
      const covered = alarms.flatMap((alarm) => (alarm.Properties.Metrics ?? [])
        .filter((entry: { MetricStat?: { Metric: { Namespace: string; MetricName: string } } }) => entry.MetricStat?.Metric.Namespace === 'AWS/Lambda' && entry.MetricStat.Metric.MetricName === metric)
        .map((entry: { MetricStat: { Metric: { Dimensions: { Value: string }[] } } }) => entry.MetricStat.Metric.Dimensions[0]!.Value));
      expect(covered).toEqual(expect.arrayContaining(main.built.api.routeFunctions.map((fn) => fn.functionName)));
    }
    for (const alarm of alarms) {
      expect((alarm.Properties.Metrics ?? []).filter((entry: { MetricStat?: unknown }) => entry.MetricStat).length).toBeLessThanOrEqual(metricsPerAlarm);
      expect(alarm.Properties.AlarmActions).toHaveLength(1);
    }
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'ops@example.com' });
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
  });
});
