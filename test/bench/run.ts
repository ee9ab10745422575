// `npm run bench`: measures speed and cost, printing every figure as a ratio against a baseline
// measured in the same run (project rule 6: measured, not timed; tests never assert on wall time).
//
//   npm run bench                          every section, then one summary table
//   npm run bench -- --json FILE           also write every figure to FILE: [{ name, value, unit, baseline, ratio }]
//   npm run bench -- --only <section>      one section (repeatable): bundles, overhead, catalog, items, reminders, auth, attachments, sync, sync-batch, caching, search, analytics, transfer
//   npm run bench -- --runs N              fresh-process imports per representative bundle (default 7)
//   npm run bench -- --compare FILE        report growth against an earlier run's --json FILE (largest per-route growth)
//
// Over-budget figures are flagged, never failed. The exit code is 1 only when a section could not
// measure (an error), after printing what it did measure.
import { readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { figures, summaryTable, writeJson } from './report.js';
import { sections } from './sections/index.js';

const usage = `Usage: npm run bench [-- --json FILE] [--compare FILE] [--only SECTION]... [--runs N]
Sections: ${sections.map((section) => section.name).join(', ')}`;

interface Options {
  json?: string;
  compare?: string;
  only: string[];
  runs: number;
}

function parseArgs(argv: readonly string[]): Options {
  const options: Options = { only: [], runs: 7 };
  const value = (index: number, flag: string) => {
    const next = argv[index + 1];
    if (next === undefined || next.startsWith('--')) throw new Error(`${flag} needs a value\n${usage}`);
    return next;
  };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i]!;
    const [flag, inline] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const take = () => inline ?? value(i++, flag);
    if (flag === '--help' || flag === '-h') {
      process.stdout.write(`${usage}\n`);
      process.exit(0);
    } else if (flag === '--json') options.json = take();
    else if (flag === '--compare') options.compare = take();
    else if (flag === '--only') options.only.push(...take().split(','));
    else if (flag === '--runs') {
      const runs = Number(take());
      if (!Number.isInteger(runs) || runs < 1 || runs > 101) throw new Error(`--runs must be an integer from 1 to 101\n${usage}`);
      options.runs = runs;
    } else throw new Error(`unknown argument '${arg}'\n${usage}`);
  }
  for (const name of options.only) {
    if (!sections.some((section) => section.name === name)) throw new Error(`unknown section '${name}'\n${usage}`);
  }
  return options;
}

const say = (line = '') => process.stdout.write(`${line}\n`);
/** Other work on the machine skews wall times (ratios less so); printed so a reader can judge. */
const load = () => `load average ${loadavg()[0]!.toFixed(1)} on ${availableParallelism()} CPUs`;

async function main() {
  // The SDK warns once per process that it will need Node 22 (Lambda runs 22); known, and noise here.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  let options: Options;
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exit(2);
  }
  const previous = options.compare ? (JSON.parse(readFileSync(options.compare, 'utf8')) as { name: string; value: number; unit: string }[]) : undefined;
  const selected = sections.filter((section) => options.only.length === 0 || options.only.includes(section.name));
  const started = performance.now();
  const failed: string[] = [];
  say(`bench: ${selected.map((section) => section.name).join(', ')} on node ${process.version}, ${process.platform}/${process.arch}, ${load()}`);
  for (const section of selected) {
    const sectionStarted = performance.now();
    say();
    say(`== ${section.name}: ${section.title}`);
    try {
      await section.run({ runs: options.runs, log: say, ...(previous ? { previous } : {}) });
      say(`-- ${section.name} done in ${((performance.now() - sectionStarted) / 1000).toFixed(1)} s`);
    } catch (error) {
      failed.push(section.name);
      process.stderr.write(`\n!! ${section.name} could not finish: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    }
  }
  say();
  say(`== summary (${figures().length} figures; ratio = value / baseline measured in this run)`);
  say(summaryTable());
  say();
  say(`bench took ${((performance.now() - started) / 1000).toFixed(1)} s (${load()} at the end)${failed.length ? `; sections that failed: ${failed.join(', ')}` : ''}`);
  if (options.json) say(`wrote ${figures().length} figures to ${writeJson(options.json)}`);
  // Handler modules imported in this process may hold idle sockets or timers; the bench is over.
  process.exit(failed.length ? 1 : 0);
}

void main();
