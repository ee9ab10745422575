// Builds every Lambda of the app in ONE esbuild run: one entry per HTTP route (so each route's
// package holds only what its handler reaches), plus the change feed, the upload verifier and each
// scheduled job. Output: dist/lambda/<entryName>/index.mjs, one self-contained folder per Lambda,
// ready for `Code.fromAsset`. The CDK app calls this synchronously while it builds its stacks.
//
// Per-route tree shaking drops a sibling handler only when esbuild can prove it unused: define it as
// `export const x = /* @__PURE__ */ httpRoute(xContract, impl)` with `xContract` imported by name
// from shared/contract/<domain>.js (a property read through a re-exported namespace object counts
// as a possible side effect), and keep module-level work (SDK clients) in modules only the routes
// that need it import. Otherwise every route of a module carries the whole module.
import { buildSync, type Metafile } from 'esbuild';
import { createHash } from 'node:crypto';
import { pureSources } from './pure-sources.js';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { routeTable } from '../shared/contract/index.js';
import { openApiDocument } from '../shared/contract/openapi.js';
import { apiVersion, documentFileName } from '../shared/domain/platform/document.js';
import type { RouteContract } from '../shared/contract/route.js';
import { fontFiles } from '../shared/domain/print/fonts.js';
import { changeFeed, jobRunner, mailFeedback, routeEntry, scheduledJobs, uploadVerifier, type FunctionEntry, type ScheduledJob } from './functions.js';

export const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const defaultOutDir = join(projectRoot, 'dist', 'lambda');

export type LambdaKind = 'http' | 'stream' | 's3' | 'sns' | 'job';

/** Where the reference page's assets live inside the Lambda package of the docs routes. */
export const docsAssetsFolder = 'swagger-ui';
export const docsAssetFiles = ['swagger-ui.css', 'swagger-ui-bundle.js'] as const;
/** The route serving the OpenAPI document: its package carries the document, generated here (shared/domain/platform/document.ts). */
const documentRouteId = 'openapi';
/** Routes (by operation id, platform domain) whose Lambda ships the swagger-ui files. */
const docsRouteIds: ReadonlySet<string> = new Set(['docs', 'docsAsset']);

export const changeFeedEntryName = 'stream-change-feed';
export const jobRunnerEntryName = 'stream-job-runner';
export const uploadVerifierEntryName = 's3-verify-upload';
export const mailFeedbackEntryName = 'sns-mail-feedback';

function kebab(value: string): string {
  return value
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .toLowerCase();
}

/** `http-<domain>-<operation id in kebab case>`, e.g. `http-platform-docs-asset`. */
export function httpEntryName(contract: Pick<RouteContract, 'domain' | 'id'>): string {
  return `${httpEntryPrefix(contract.domain)}${kebab(contract.id)}`;
}

/** What the entry names of one domain's routes start with: `http-<domain>-`. */
export function httpEntryPrefix(domain: string): string {
  return `http-${kebab(domain)}-`;
}

export function jobEntryName(job: Pick<ScheduledJob, 'name'>): string {
  return `job-${kebab(job.name)}`;
}

/** True for the routes whose package carries `swagger-ui/` (they read it from DOCS_ASSETS_DIR). */
export function shipsDocsAssets(contract: Pick<RouteContract, 'domain' | 'id'>): boolean {
  return contract.domain === 'platform' && docsRouteIds.has(contract.id);
}

export interface LambdaTarget extends FunctionEntry {
  name: string;
  kind: LambdaKind;
  /** the route it serves, for `http` entries */
  routeId?: string;
  /** true when the package holds `swagger-ui/` */
  docsAssets: boolean;
  /** package files it reads at run time (`dejavu-fonts-ttf/ttf/DejaVuSans.ttf`), shipped under `node_modules/` beside the bundle */
  packageFiles?: readonly string[];
}

/** Every Lambda of the app, in a stable order: routes, change feed, upload verifier, mail feedback, jobs. */
export function lambdaTargets(
  routes: readonly Pick<RouteContract, 'domain' | 'id'>[] = routeTable,
  jobs: readonly ScheduledJob[] = scheduledJobs,
): LambdaTarget[] {
  const targets: LambdaTarget[] = [
    ...routes.map((contract): LambdaTarget => ({
      ...routeEntry(contract), name: httpEntryName(contract), kind: 'http', routeId: contract.id, docsAssets: shipsDocsAssets(contract),
    })),
    { ...changeFeed, name: changeFeedEntryName, kind: 'stream', docsAssets: false },
    // the job runner makes the print jobs' PDFs (functions/streams/projectors/jobs.ts): it ships their fonts
    { ...jobRunner, name: jobRunnerEntryName, kind: 'stream', docsAssets: false, packageFiles: Object.values(fontFiles) },
    { ...uploadVerifier, name: uploadVerifierEntryName, kind: 's3', docsAssets: false },
    { ...mailFeedback, name: mailFeedbackEntryName, kind: 'sns', docsAssets: false },
    ...jobs.map((job): LambdaTarget => ({ module: job.module, export: job.export, name: jobEntryName(job), kind: 'job', docsAssets: false })),
  ];
  const seen = new Set<string>();
  for (const target of targets) {
    if (seen.has(target.name)) throw new Error(`Two Lambdas would share the bundle name ${target.name}`);
    seen.add(target.name);
  }
  return targets;
}

export interface BundledLambda {
  name: string;
  /** absolute folder holding index.mjs (and swagger-ui/ for the docs routes) */
  dir: string;
  kind: LambdaKind;
  /** size of index.mjs in bytes */
  bytes: number;
  routeId?: string;
  docsAssets: boolean;
}

export interface BundleResult {
  outDir: string;
  entries: BundledLambda[];
  /** the folder of one Lambda by entry name; throws for an unknown name */
  dirOf(name: string): string;
  metafile: Metafile;
  /** wall time of the build in this process (0 when served from the cache) */
  durationMs: number;
}

export interface BundleOptions {
  outDir?: string;
  /** default true */
  minify?: boolean;
  /** external source maps beside each file (default false) */
  sourcemap?: boolean;
  /** routes to bundle (default: the route table) */
  routes?: readonly Pick<RouteContract, 'domain' | 'id'>[];
  /** scheduled jobs to bundle (default: infra/functions.ts) */
  jobs?: readonly ScheduledJob[];
}

const cache = new Map<string, BundleResult>();

const banner = "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);";
const manifestFile = 'manifest.json';

/** Empties a previous output folder (only one this function wrote: it holds our manifest). */
function prepareOutDir(outDir: string): void {
  if (existsSync(outDir) && readdirSync(outDir).length > 0) {
    if (!existsSync(join(outDir, manifestFile))) {
      throw new Error(`${outDir} is not empty and holds no ${manifestFile}: refusing to replace it`);
    }
    rmSync(outDir, { recursive: true, force: true });
  }
  mkdirSync(outDir, { recursive: true });
}

/**
 * Bundles every Lambda with one esbuild run. Synchronous (the CDK app is), cached per process by
 * options, so synthesising several apps in one test run builds once.
 */
export function bundleFunctions(options: BundleOptions = {}): BundleResult {
  const outDir = resolve(options.outDir ?? defaultOutDir);
  const minify = options.minify ?? true;
  const sourcemap = options.sourcemap ?? false;
  const targets = lambdaTargets(options.routes, options.jobs);
  const key = JSON.stringify({ outDir, minify, sourcemap, targets });
  const cached = cache.get(key);
  if (cached) return { ...cached, durationMs: 0 };

  const started = performance.now();
  // buildSync takes no plugins, so each virtual entry (`export { <id> as handler } from ...`) is a
  // one-line file in a temporary folder; the module it re-exports is resolved by absolute path.
  const entriesDir = mkdtempSync(join(tmpdir(), 'hw-lambda-entries-'));
  // Inside the project, so node_modules resolve as from the sources (see infra/pure-sources.ts).
  const sources = pureSources(projectRoot, join(projectRoot, 'dist', `lambda-src-${createHash('sha1').update(outDir).digest('hex').slice(0, 8)}`));
  try {
    const entryPoints = targets.map((target) => {
      const file = join(entriesDir, `${target.name}.mjs`);
      const modulePath = resolve(sources, target.module);
      writeFileSync(file, `export { ${target.export} as handler } from ${JSON.stringify(modulePath)};\n`);
      return { in: file, out: `${target.name}/index` };
    });
    prepareOutDir(outDir);
    // Documentation-only parts of the contract (`DOCS:` statements with examples, the prose and error
    // lists of route declarations: infra/pure-sources.ts) are dropped from every bundle; the document
    // route ships the document itself, generated below, so no route carries them.
    const built = buildSync({
      entryPoints,
      dropLabels: ['DOCS'],
      define: { HW_DOCS: 'false', 'globalThis.HW_DOCS': 'false', 'globalThis.HW_PREBUILT_DOCUMENT': 'true' },
      outdir: outDir,
      outExtension: { '.js': '.mjs' },
      // One self-contained file per Lambda. (Code splitting builds faster but, measured here,
      // shares chunks across routes in a way that loses per-route tree shaking: +50% bytes.)
      bundle: true,
      format: 'esm',
      platform: 'node',
      target: 'node22',
      // ESM builds of dependencies first (the AWS SDK ships both): they tree-shake.
      mainFields: ['module', 'main'],
      minify,
      sourcemap: sourcemap ? 'external' : false,
      legalComments: 'none',
      metafile: true,
      logLevel: 'silent',
      banner: { js: banner },
      // fontkit's WOFF2 decoder: no PDF here embeds a WOFF2 font (infra/stubs/brotli-decompress.mjs)
      alias: { 'brotli/decompress.js': join(projectRoot, 'infra', 'stubs', 'brotli-decompress.mjs') },
      absWorkingDir: projectRoot,
      write: true,
    });
    const result = { metafile: built.metafile as Metafile };

    const document = targets.some((target) => target.routeId === documentRouteId) ? openApiDocument(routeTable, { version: apiVersion }) : undefined;
    const swaggerDir = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
    const entries = targets.map((target): BundledLambda => {
      const dir = join(outDir, target.name);
      if (target.routeId === documentRouteId) writeFileSync(join(dir, documentFileName), JSON.stringify(document));
      // files a bundle reads at run time from a package (the PDF fonts), where Node resolves them beside it
      for (const file of target.packageFiles ?? []) {
        const to = join(dir, 'node_modules', file);
        mkdirSync(dirname(to), { recursive: true });
        copyFileSync(createRequire(import.meta.url).resolve(file), to);
      }
      if (target.docsAssets) {
        mkdirSync(join(dir, docsAssetsFolder), { recursive: true });
        for (const file of docsAssetFiles) copyFileSync(join(swaggerDir, file), join(dir, docsAssetsFolder, file));
      }
      return {
        name: target.name, dir, kind: target.kind, bytes: statSync(join(dir, 'index.mjs')).size,
        ...(target.routeId === undefined ? {} : { routeId: target.routeId }), docsAssets: target.docsAssets,
      };
    });
    const byName = new Map(entries.map((entry) => [entry.name, entry.dir]));
    const bundle: BundleResult = {
      outDir,
      entries,
      metafile: result.metafile,
      durationMs: Math.round(performance.now() - started),
      dirOf(name) {
        const dir = byName.get(name);
        if (!dir) throw new Error(`No bundle named ${name} in ${outDir}`);
        return dir;
      },
    };
    const manifest = entries.map(({ name, kind, bytes }) => ({ name, kind, bytes }));
    writeFileSync(join(outDir, manifestFile), `${JSON.stringify(manifest, null, 2)}\n`);
    cache.set(key, bundle);
    return bundle;
  } finally {
    rmSync(entriesDir, { recursive: true, force: true });
  }
}
