// Shared by the infra tests that look at templates rather than bundles: a synth of the whole app
// with every Lambda pointed at one stub package (no esbuild run, so each file synthesises in
// seconds), readers for templates and IAM statements, and cfn-lint over a cloud assembly.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { buildApp, type BuildAppProps, type BuiltApp } from '../../infra/stacks/index.js';

/** Synth faster in tests: reference bundles in place, skip construct stack traces. */
export const testContext = { 'aws:cdk:disable-asset-staging': true, 'aws:cdk:disable-stack-trace': true };

let stubDir: string | undefined;

/** One folder with a trivial index.mjs, standing in for every Lambda package. */
export function stubBundle(): (entryName: string) => string {
  if (!stubDir) {
    stubDir = mkdtempSync(join(tmpdir(), 'hw-infra-stub-'));
    writeFileSync(join(stubDir, 'index.mjs'), 'export const handler = async () => ({});\n');
  }
  const dir = stubDir;
  return () => dir;
}

export interface Synthesised {
  built: BuiltApp;
  assembly: CloudAssembly;
}

/** The whole app (cdk-nag included) with stub packages, synthesised into a fresh folder. */
export function synthApp(props: BuildAppProps = {}): Synthesised {
  const built = buildApp({
    bundle: stubBundle(),
    outdir: mkdtempSync(join(tmpdir(), 'hw-infra-synth-')),
    context: testContext,
    alarmEmail: 'ops@example.com',
    ...props,
  });
  return { built, assembly: built.app.synth() };
}

export interface Resource {
  Type: string;
  Properties?: Record<string, any>;
  DependsOn?: string | string[];
}

export interface TemplateFile {
  file: string;
  template: { Resources?: Record<string, Resource>; Outputs?: Record<string, { Value: unknown; Export?: { Name: unknown } }>; Parameters?: Record<string, { Type: string }> };
}

/** Every template of an assembly, nested stacks included. */
export function templateFiles(assembly: CloudAssembly): TemplateFile[] {
  return readdirSync(assembly.directory)
    .filter((file) => file.endsWith('.template.json'))
    .map((file) => ({ file, template: JSON.parse(readFileSync(join(assembly.directory, file), 'utf8')) }));
}

/**
 * A stack's template as synthesised into the assembly (nested stacks too). Template.fromStack
 * would synthesise the whole app again, cdk-nag included, on every call.
 */
export function templateOf(assembly: CloudAssembly, stack: Stack): Template {
  return Template.fromJSON(JSON.parse(readFileSync(join(assembly.directory, stack.templateFile), 'utf8')));
}

export interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: unknown;
}

export function actionsOf(statements: readonly Statement[]): string[] {
  return [...new Set(statements.flatMap((statement) => ([] as string[]).concat(statement.Action)))].sort();
}

/** The statements of every policy of a template attached to the role with this logical id. */
export function roleStatements(resources: Record<string, Resource>, roleId: string): Statement[] {
  return Object.values(resources)
    .filter((resource) => resource.Type === 'AWS::IAM::Policy'
      && (resource.Properties!.Roles as unknown[]).some((role) => JSON.stringify(role) === JSON.stringify({ Ref: roleId })))
    .flatMap((policy) => policy.Properties!.PolicyDocument.Statement as Statement[]);
}

/** The logical id of a function's role (`Role: { Fn::GetAtt: [id, 'Arn'] }`). */
export function roleOf(fn: Resource): string {
  return (fn.Properties!.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
}

/**
 * cfn-lint rules not applied, each with why. Anything else cfn-lint reports fails the test.
 * - W3005 (DependsOn already enforced by a GetAtt): CDK makes each Lambda depend on its role and
 *   the role's default policy, so the function is created only once it may write its logs; the
 *   role entry is redundant with the `Role` GetAtt and harmless, and it is CDK's, not ours.
 */
export const cfnLintIgnored = ['W3005'] as const;

export interface CfnLintFinding {
  Rule: { Id: string };
  Message: string;
  Filename: string;
  Location: { Start: { LineNumber: number } };
}

export interface CfnLintResult {
  /** why it did not run (no cfn-lint on this machine) */
  skipped?: string;
  version?: string;
  templates: number;
  /** findings of rules not in `cfnLintIgnored` */
  findings: CfnLintFinding[];
  /** how many findings each ignored rule had */
  ignored: Record<string, number>;
}

/** Runs cfn-lint over every template of the assembly, nested ones included. */
export function cfnLint(assembly: CloudAssembly): CfnLintResult {
  const files = templateFiles(assembly).map(({ file }) => join(assembly.directory, file));
  if (spawnSync('which', ['cfn-lint']).status !== 0) {
    return { skipped: 'cfn-lint is not installed on this machine (pip install cfn-lint), so its check is skipped', templates: files.length, findings: [], ignored: {} };
  }
  const version = execFileSync('cfn-lint', ['--version'], { encoding: 'utf8' }).trim();
  const run = spawnSync('cfn-lint', ['--format', 'json', '--', ...files], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  // the exit status is a bit mask of the levels found; the JSON list is on stdout either way
  if (run.error || !run.stdout.trim().startsWith('[')) throw new Error(`cfn-lint did not run: ${run.error?.message ?? run.stderr}`);
  const all = JSON.parse(run.stdout) as CfnLintFinding[];
  const isIgnored = (finding: CfnLintFinding) => (cfnLintIgnored as readonly string[]).includes(finding.Rule.Id);
  const ignored: Record<string, number> = {};
  for (const finding of all.filter(isIgnored)) ignored[finding.Rule.Id] = (ignored[finding.Rule.Id] ?? 0) + 1;
  return { version, templates: files.length, findings: all.filter((finding) => !isIgnored(finding)), ignored };
}
