// Bundle sizes and import (init) times of every Lambda, against two floors built here with the same
// esbuild options (ARCHITECTURE.md, "Cold-start budget"):
// - the brief floor: one trivial route on the stack every route must carry (document client, middy
//   core, Powertools logger and metrics, zod/mini). The budget: every HTTP route within 1.12× its
//   size and 1.15× its import time;
// - the document client alone, the floor every data route pays whatever its stack (informational).
// With `--compare FILE` it reports each route's growth against an earlier run: no route may grow
// because another domain was added.
//
// The Lambdas are built by infra/bundle.ts (one esbuild run, as the CDK app does); the baseline by
// esbuild here with the same options. Import time is measured in a fresh `node` process per run,
// baseline runs interleaved with the candidates so machine noise hits both alike. Every bundle is
// imported a few times; a representative subset (largest, health, getMe, createWorkspace, the change
// feed, the jobs) `--runs` times, the others three times. Over-budget bundles are flagged, never failed.
import { buildSync, type Metafile } from 'esbuild';
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { bundleFunctions, projectRoot, type BundledLambda } from '../../../infra/bundle.js';
import { formatRatio, record, table } from '../report.js';
import { canCountInstructions, countImports, type InstructionCounts } from '../instructions.js';
import { median } from '../stats.js';
import type { BenchContext } from './types.js';

/** Budget (ARCHITECTURE.md, re-based 2026-12): per HTTP route bundle, within these multiples of the brief floor. */
export const sizeBudget = 1.12;
export const initBudget = 1.15;

const benchDir = join(projectRoot, 'dist', 'bench');
const lambdaDir = join(benchDir, 'lambda');
const baselineFile = join(benchDir, 'baseline', 'index.mjs');
const clientFloorFile = join(benchDir, 'client-floor', 'index.mjs');

/** The brief floor: one trivial route on the stack the product brief names for every route. */
const briefFloorSource = `import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import middy from '@middy/core';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import * as z from 'zod/mini';
const documents = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const logger = new Logger({ serviceName: 'floor' });
const metrics = new Metrics({ namespace: 'floor', serviceName: 'floor' });
const Params = z.object({ id: z.string().check(z.minLength(1), z.maxLength(64)) });
export const handler = middy(async (event) => {
  const params = z.parse(Params, event.pathParameters ?? {});
  const found = await documents.send(new GetCommand({ TableName: 'floor', Key: { PK: params.id, SK: 'ITEM' } }));
  return { statusCode: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(found.Item ?? {}) };
}).use(injectLambdaContext(logger)).use(logMetrics(metrics));
`;

const clientFloorSource = `import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
const documents = DynamoDBDocumentClient.from(new DynamoDBClient({}));
export const handler = async () => ({ statusCode: 200, body: typeof documents.send });
`;

/** Same options as infra/bundle.ts: ESM, node22, minified, everything bundled (SDK included). */
function buildBaseline(source = briefFloorSource, file = baselineFile): { bytes: number; metafile: Metafile } {
  mkdirSync(join(file, '..'), { recursive: true });
  const result = buildSync({
    stdin: { contents: source, resolveDir: projectRoot, sourcefile: 'baseline-entry.mjs', loader: 'js' },
    outfile: file,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node22',
    mainFields: ['module', 'main'],
    minify: true,
    legalComments: 'none',
    metafile: true,
    logLevel: 'silent',
    banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
    absWorkingDir: projectRoot,
    write: true,
  });
  return { bytes: statSync(file).size, metafile: result.metafile };
}

/** Bytes of JavaScript a Lambda package loads: every .mjs in its folder (index.mjs, and chunks/ if split). */
function packageBytes(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && entry.name.endsWith('.mjs')) total += statSync(join(entry.parentPath, entry.name)).size;
  }
  return total;
}

/** Environment of an imported bundle: enough for module-scope configuration to parse, as in Lambda. */
const importEnvironment: Record<string, string> = {
  PATH: process.env.PATH ?? '/usr/bin:/bin',
  STAGE: 'aws',
  AWS_REGION: 'us-east-1',
  AWS_DEFAULT_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'BENCHDUMMY',
  AWS_SECRET_ACCESS_KEY: 'BENCHDUMMY',
  TABLE_NAME: 'home-warehouse',
  BUCKET_NAME: 'home-warehouse-attachments',
  JWT_SECRET: 'bench-secret-bench-secret-bench-secret-0123',
  POWERTOOLS_METRICS_DISABLED: 'true',
  POWERTOOLS_LOG_LEVEL: 'SILENT',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
};

interface ImportSample {
  /** wall time of `await import(index.mjs)`, ms */
  wall: number;
  /** CPU time (user + system, all threads) the process spent during that import, ms */
  cpu: number;
}

/** Times `await import(file)` in a fresh node process. */
function importTime(file: string, timeoutMs = 60_000): Promise<ImportSample> {
  const url = pathToFileURL(file).href;
  const script =
    `const c=process.cpuUsage(); const t=performance.now(); const m=await import(${JSON.stringify(url)}); const d=performance.now()-t; const u=process.cpuUsage(c);` +
    `if (typeof m.handler!=='function') { process.stderr.write('no handler export'); process.exit(3); }` +
    'process.stdout.write(JSON.stringify({ wall: d, cpu: (u.user + u.system) / 1000 }))';
  return new Promise((resolveTime, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { cwd: benchDir, env: importEnvironment, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      let sample: ImportSample | undefined;
      try {
        sample = JSON.parse(stdout) as ImportSample;
      } catch {
        sample = undefined;
      }
      if (code === 0 && sample && Number.isFinite(sample.wall) && Number.isFinite(sample.cpu)) resolveTime(sample);
      else reject(new Error(`importing ${file} failed (${signal ?? `exit ${code}`}): ${stderr.trim().slice(0, 1_000)}`));
    });
  });
}

/** The bundles imported `--runs` times; the rest once. */
function representatives(entries: BundledLambda[]): Set<string> {
  const chosen = new Set<string>();
  const largest = entries.reduce((best, entry) => (entry.bytes > best.bytes ? entry : best));
  chosen.add(largest.name);
  for (const routeId of ['health', 'getMe', 'createWorkspace']) {
    const entry = entries.find((candidate) => candidate.routeId === routeId);
    if (entry) chosen.add(entry.name);
  }
  for (const entry of entries) if (entry.kind === 'stream' || entry.kind === 'job') chosen.add(entry.name);
  return chosen;
}

/** The outputs a Lambda loads: its entry file and, with code splitting, the chunks it imports. */
function outputClosure(metafile: Metafile, entryOutput: string): string[] {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file) || !metafile.outputs[file]) return;
    seen.add(file);
    for (const imported of metafile.outputs[file]!.imports) if (!imported.external) visit(imported.path);
  };
  visit(entryOutput);
  return [...seen];
}

/** Inputs (and packages) that put the most bytes into one Lambda, from the esbuild metafile. */
function largestInputs(metafile: Metafile, entryFile: string, top: number) {
  const outputs = outputClosure(metafile, relative(projectRoot, entryFile).split(sep).join('/'));
  if (outputs.length === 0) return undefined;
  const inputs: { path: string; bytes: number }[] = [];
  let total = 0;
  for (const file of outputs) {
    const output = metafile.outputs[file]!;
    total += output.bytes;
    for (const [path, { bytesInOutput }] of Object.entries(output.inputs)) inputs.push({ path, bytes: bytesInOutput });
  }
  const packages = new Map<string, number>();
  for (const { path, bytes } of inputs) {
    const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
    const owner = match ? match[1]! : path.split('/').slice(0, 2).join('/');
    packages.set(owner, (packages.get(owner) ?? 0) + bytes);
  }
  return {
    total,
    files: outputs.length,
    inputs: inputs.sort((a, b) => b.bytes - a.bytes).slice(0, top),
    packages: [...packages].map(([name, bytes]) => ({ name, bytes })).sort((a, b) => b.bytes - a.bytes).slice(0, top),
  };
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const share = (bytes: number, total: number) => `${((bytes / total) * 100).toFixed(1)}%`;

/** Imports of every bundle; the representatives get `runs`, the others `min(runs, quickRuns)`. */
const quickRuns = 3;

/**
 * What only some routes need (an AWS client, the QR encoder); such a route is held to the brief
 * floor plus what it bundles of these. `input` finds it among a bundle's esbuild inputs.
 */
const extras: Record<string, { source: string; input: string; what: string }> = {
  s3: { source: `import { S3Client } from '@aws-sdk/client-s3';\nexport const s3 = new S3Client({});\n`, input: '@aws-sdk/client-s3/', what: 'the s3 client' },
  ses: { source: `import { SESClient } from '@aws-sdk/client-ses';\nexport const ses = new SESClient({});\n`, input: '@aws-sdk/client-ses/', what: 'the ses client' },
  // the readiness probe asks SES v2 (GetAccount) whether sending is enabled
  sesv2: { source: `import { SESv2Client } from '@aws-sdk/client-sesv2';\nexport const sesv2 = new SESv2Client({});\n`, input: '@aws-sdk/client-sesv2/', what: 'the ses v2 client' },
  // the matrix encoder only: the QR routes render PNG and SVG themselves (shared/domain/qr)
  qrcode: { source: `import { create } from 'qrcode/lib/core/qrcode.js';\nexport const qrcode = create;\n`, input: 'node_modules/qrcode/lib/core/', what: 'the qrcode core' },
  // the CSV writer of the export route and the CSV reader of the import routes (RFC 4180 by a well-kept library, as issue 14 asks)
  csvStringify: { source: `import { stringify } from 'csv-stringify/sync';\nexport const csvStringify = stringify;\n`, input: 'node_modules/csv-stringify/', what: 'csv-stringify' },
  csvParse: { source: `import { parse } from 'csv-parse/sync';\nexport const csvParse = parse;\n`, input: 'node_modules/csv-parse/', what: 'csv-parse' },
  // Idempotency-Key on the routes that declare it (ARCHITECTURE.md names Powertools idempotency the tool): with its JMESPath
  idempotency: {
    source: `import { makeIdempotent, IdempotencyConfig } from '@aws-lambda-powertools/idempotency';\nimport { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';\n` +
      `export const idempotency = [makeIdempotent, IdempotencyConfig, DynamoDBPersistenceLayer];\n`,
    input: '@aws-lambda-powertools/idempotency/', what: 'Powertools idempotency',
  },
};

/** Bytes one of `extras` adds to the brief floor (built the same way), so routes needing it are fairly compared. */
const extraFloorFile = (name: string) => join(benchDir, `floor-${name}`, 'index.mjs');

function extraAllowance(source: string, name: string, floorBytes: number): number {
  const file = extraFloorFile(name);
  const combined = briefFloorSource + source.replace(/^export const (\w+) =/m, 'const $1 =') + `export const keep_${name} = typeof ${name};\n`;
  return buildBaseline(combined, file).bytes - floorBytes;
}

export async function run({ runs, log, previous }: BenchContext) {
  const buildStarted = performance.now();
  const bundle = bundleFunctions({ outDir: lambdaDir });
  const buildMs = performance.now() - buildStarted;
  const baseline = buildBaseline();
  const clientFloor = buildBaseline(clientFloorSource, clientFloorFile);
  // A route that bundles the S3 or SES client, or the qrcode core, is held to the brief floor plus that.
  const allowance = Object.fromEntries(Object.entries(extras).map(([name, extra]) => [name, extraAllowance(extra.source, name, baseline.bytes)]));
  const files = new Set(bundle.entries.flatMap((entry) => outputClosure(bundle.metafile, relative(projectRoot, join(lambdaDir, entry.name, 'index.mjs')).split(sep).join('/')))).size;
  log(
    `built ${bundle.entries.length} Lambda packages (${files} distinct .mjs outputs) with infra/bundle.ts in ${(buildMs / 1000).toFixed(1)} s, one esbuild run, ` +
      `into ${relative(projectRoot, lambdaDir)}/; size = every .mjs in a Lambda's folder (index.mjs, plus chunks/ if the build splits)`,
  );
  log(`brief floor (document client + middy core + Powertools logger/metrics + zod/mini, one trivial route): ${baseline.bytes.toLocaleString('en-US')} bytes, ${relative(projectRoot, baselineFile)}`);
  log(`document client alone: ${clientFloor.bytes.toLocaleString('en-US')} bytes (${formatRatio(clientFloor.bytes / baseline.bytes)} of the brief floor)`);

  // Import schedule: rounds 0..quick-1 import every bundle, the later rounds only the
  // representatives. A baseline import precedes every second candidate import; each candidate is
  // paired with the baseline run just before it, so a burst of load (other jobs on the machine,
  // CPU frequency) hits the pair alike.
  const sizes = new Map(bundle.entries.map((entry) => [entry.name, packageBytes(entry.dir)]));
  const entries = bundle.entries.map((entry) => ({ ...entry, bytes: sizes.get(entry.name)! }));
  const chosen = representatives(entries);
  const everyone = Math.min(runs, quickRuns);
  type Step = { kind: 'baseline' } | { kind: 'candidate'; entry: BundledLambda };
  const schedule: Step[] = [];
  let sinceBaseline = 2;
  for (let round = 0; round < runs; round += 1) {
    for (const entry of entries) {
      if (round >= everyone && !chosen.has(entry.name)) continue;
      if (sinceBaseline >= 2) {
        schedule.push({ kind: 'baseline' });
        sinceBaseline = 0;
      }
      schedule.push({ kind: 'candidate', entry });
      sinceBaseline += 1;
    }
  }

  log(
    `import timing: ${schedule.length} fresh node processes (every bundle ${everyone}×, ${chosen.size} representatives ${runs}×: ` +
      `${[...chosen].join(', ')}; baseline before every second import)…`,
  );
  const importStarted = performance.now();
  await importTime(baselineFile); // untimed: warms the file cache and node itself
  const baselineSamples: ImportSample[] = [];
  const samples = new Map<string, { own: ImportSample[]; paired: ImportSample[] }>();
  let lastBaseline: ImportSample | undefined;
  for (const [index, step] of schedule.entries()) {
    if (step.kind === 'baseline') {
      lastBaseline = await importTime(baselineFile);
      baselineSamples.push(lastBaseline);
    } else {
      const sample = await importTime(join(step.entry.dir, 'index.mjs'));
      const list = samples.get(step.entry.name) ?? { own: [], paired: [] };
      list.own.push(sample);
      list.paired.push(lastBaseline!);
      samples.set(step.entry.name, list);
    }
    if ((index + 1) % 50 === 0) log(`  ${index + 1}/${schedule.length} imports (${((performance.now() - importStarted) / 1000).toFixed(0)} s)`);
  }
  log(`  ${schedule.length} imports in ${((performance.now() - importStarted) / 1000).toFixed(1)} s`);

  // The budget's verdict on import cost: instructions (test/bench/instructions.ts), steady where
  // wall and CPU time are not. Without valgrind the verdict falls back to wall time.
  let instructions: InstructionCounts | undefined;
  if (canCountInstructions()) {
    log(`import instructions: every bundle once, the brief floor 3×, under valgrind's callgrind…`);
    const floors = [baselineFile, ...Object.keys(extras).map(extraFloorFile)];
    instructions = await countImports([...floors, ...entries.map((entry) => join(entry.dir, 'index.mjs'))], new Set(floors), {
      environment: importEnvironment, cwd: benchDir, log,
    });
    record('bundle.startup.instructions', instructions.startup, 'instructions');
    record('bundle.baseline.init-instructions', instructions.imports.get(baselineFile)!, 'instructions');
  } else {
    log('import instructions: valgrind is not on this machine (apt-get install valgrind); the init verdict falls back to wall time');
  }
  const importInstructions = (entry: BundledLambda) => instructions?.imports.get(join(entry.dir, 'index.mjs'));
  // the floor a route's import is held to: the brief floor's, plus what each extra client adds to it
  const floorInstructions = (clients: string[]) => instructions!.imports.get(baselineFile)!
    + clients.reduce((sum, name) => sum + instructions!.imports.get(extraFloorFile(name))! - instructions!.imports.get(baselineFile)!, 0);

  const wall = (list: ImportSample[]) => median(list.map((sample) => sample.wall));
  const cpu = (list: ImportSample[]) => median(list.map((sample) => sample.cpu));
  record('bundle.build.duration', buildMs, 'ms');
  record('bundle.count', entries.length, 'bundles');
  record('bundle.baseline.size', baseline.bytes, 'bytes');
  record('bundle.client-floor.size', clientFloor.bytes, 'bytes', baseline.bytes);
  record('bundle.baseline.init', wall(baselineSamples), 'ms');
  record('bundle.baseline.init-cpu', cpu(baselineSamples), 'ms');

  const rows: string[][] = [];
  let oversize = 0;
  let overInit = 0;
  let overInitWall = 0;
  let overInitCpu = 0;
  const clientsOf = (entry: BundledLambda) => {
    const inputs = Object.keys(bundle.metafile.outputs[relative(projectRoot, join(lambdaDir, entry.name, 'index.mjs')).split(sep).join('/')]?.inputs ?? {});
    return Object.keys(extras).filter((name) => inputs.some((input) => input.includes(extras[name]!.input)));
  };
  for (const entry of entries) {
    const { own, paired } = samples.get(entry.name)!;
    const http = entry.kind === 'http';
    const clients = clientsOf(entry);
    const floorBytes = baseline.bytes + clients.reduce((sum, name) => sum + allowance[name]!, 0);
    const size = record(`bundle.${entry.name}.size`, entry.bytes, 'bytes', floorBytes, http ? { budget: sizeBudget } : {});
    // Against the baseline runs paired with this bundle's runs (same moments of the section).
    const time = record(`bundle.${entry.name}.init`, wall(own), 'ms', wall(paired), http ? { budget: initBudget } : {});
    const cpuTime = record(`bundle.${entry.name}.init-cpu`, cpu(own), 'ms', cpu(paired), http ? { budget: initBudget } : {});
    const counted = importInstructions(entry);
    const instructionRatio = counted === undefined ? undefined
      : record(`bundle.${entry.name}.init-instructions`, counted, 'instructions', floorInstructions(clients), http ? { budget: initBudget } : {}).ratio!;
    const initRatio = instructionRatio ?? time.ratio!;
    const flags = http ? [
      ...(size.ratio! > sizeBudget ? [`size>${sizeBudget}×`] : []),
      ...(initRatio > initBudget ? [`init>${initBudget}×`] : []),
    ] : ['(not a route: no budget)'];
    if (http && size.ratio! > sizeBudget) oversize += 1;
    if (http && initRatio > initBudget) overInit += 1;
    if (http && time.ratio! > initBudget) overInitWall += 1;
    if (http && cpuTime.ratio! > initBudget) overInitCpu += 1;
    rows.push([
      `${entry.name}${chosen.has(entry.name) ? ' *' : ''}${clients.length ? ` (+${clients.join('+')})` : ''}`,
      entry.bytes.toLocaleString('en-US'),
      formatRatio(size.ratio),
      wall(own).toFixed(1),
      wall(paired).toFixed(1),
      String(own.length),
      formatRatio(time.ratio),
      formatRatio(cpuTime.ratio),
      instructionRatio === undefined ? '' : formatRatio(instructionRatio),
      flags.join(' '),
    ]);
  }
  rows.push(['(brief floor)', baseline.bytes.toLocaleString('en-US'), '1.00×', wall(baselineSamples).toFixed(1), '', String(baselineSamples.length), '1.00×', '1.00×', instructions ? '1.00×' : '', '']);
  rows.push(['(document client alone)', clientFloor.bytes.toLocaleString('en-US'), formatRatio(clientFloor.bytes / baseline.bytes), '', '', '', '', '', '', '']);
  const routes = entries.filter((entry) => entry.kind === 'http').length;
  record('bundle.over-size-budget', oversize, 'routes', routes);
  record('bundle.over-init-budget', overInit, 'routes', routes);
  record('bundle.over-init-wall-budget', overInitWall, 'routes', routes);
  record('bundle.over-init-cpu-budget', overInitCpu, 'routes', routes);
  for (const [name, bytes] of Object.entries(allowance)) record(`bundle.allowance.${name}`, bytes, 'bytes', baseline.bytes);

  log();
  log(
    table(
      ['bundle (* = representative)', '>bytes', '>size ×floor', '>init ms', '>floor ms', '>n', '>init ×floor', '>cpu ×floor', '>instr ×floor', 'flag'],
      rows,
    ),
  );
  log();
  log(
    `init = median wall time of \`await import(index.mjs)\` in a fresh process; floor ms = median of the baseline runs paired with those runs; ` +
      `cpu = the same ratio on CPU time; instr = instructions the import executes (callgrind, minus node's start-up of ${instructions ? `${(instructions.startup / 1e6).toFixed(0)} M` : '—'}) ` +
      `against the brief floor's ${instructions ? `${(instructions.imports.get(baselineFile)! / 1e6).toFixed(1)} M` : '—'}: the init verdict, as wall and CPU time swing by more than the budget between identical runs. ` +
      `Budget for HTTP routes: size ≤ ${sizeBudget}× and init ≤ ${initBudget}× ` +
      `the brief floor (plus ${Object.entries(allowance).map(([name, bytes]) => `${kb(bytes)} for ${extras[name]!.what}`).join(', ')} where a route needs it). ` +
      `Over the size budget: ${oversize}/${routes} routes; over the init budget: ${overInit}/${routes} (${instructions ? 'by instructions' : 'by wall time'}); ` +
      `for reference ${overInitWall}/${routes} by wall time, ${overInitCpu}/${routes} by CPU time (flagged, not failed).`,
  );
  if (previous) reportGrowth(entries, previous, log);

  // What makes the largest bundle large (esbuild metafile from infra/bundle.ts).
  const largest = entries.reduce((best, entry) => (entry.bytes > best.bytes ? entry : best));
  const contributors = bundle.metafile ? largestInputs(bundle.metafile, join(lambdaDir, largest.name, 'index.mjs'), 10) : undefined;
  log();
  if (!contributors) {
    log('largest contributors: the esbuild metafile from infra/bundle.ts has no output for the largest bundle; skipped');
    return;
  }
  log(`largest bundle: ${largest.name} (${kb(largest.bytes)} in ${contributors.files} file(s)). Top 10 inputs by bytes in output:`);
  log(table(['input', '>bytes in output', '>share'], contributors.inputs.map(({ path, bytes }) => [path, bytes.toLocaleString('en-US'), share(bytes, contributors.total)])));
  log();
  log('the same bundle by package (node_modules package, or top two folders of the project):');
  log(table(['package', '>bytes in output', '>share'], contributors.packages.map(({ name, bytes }) => [name, bytes.toLocaleString('en-US'), share(bytes, contributors.total)])));
}

/** Each route's size against an earlier run (`--compare`): no route may grow because another domain was added. */
function reportGrowth(entries: { name: string; bytes: number; kind: string }[], previous: readonly { name: string; value: number; unit: string }[], log: (line?: string) => void) {
  const before = new Map(previous.filter((figure) => figure.unit === 'bytes').map((figure) => [figure.name, figure.value]));
  const growth = entries
    .filter((entry) => entry.kind === 'http' && before.has(`bundle.${entry.name}.size`))
    .map((entry) => ({ name: entry.name, bytes: entry.bytes - before.get(`bundle.${entry.name}.size`)!, ratio: entry.bytes / before.get(`bundle.${entry.name}.size`)! }))
    .sort((a, b) => b.bytes - a.bytes);
  const added = entries.filter((entry) => entry.kind === 'http' && !before.has(`bundle.${entry.name}.size`)).length;
  log();
  if (growth.length === 0) {
    log('growth: no route of this run was in the compared run');
    return;
  }
  const largest = growth[0]!;
  record('bundle.growth.largest', largest.bytes, 'bytes');
  record('bundle.growth.largest-ratio', largest.ratio, 'ratio');
  log(`growth against the compared run (${growth.length} routes in both, ${added} new): largest ${largest.name} ${largest.bytes >= 0 ? '+' : ''}${largest.bytes.toLocaleString('en-US')} bytes (${formatRatio(largest.ratio)})`);
  log(table(['route', '>bytes', '>ratio'], growth.slice(0, 8).map((row) => [row.name, `${row.bytes >= 0 ? '+' : ''}${row.bytes.toLocaleString('en-US')}`, formatRatio(row.ratio)])));
}
