// Import cost as a count of machine instructions, the init figure that does not move with the
// machine's load. Wall and CPU time of `await import()` swing by ±20% between identical runs on a
// shared 2-core machine, more than the 15% budget they are held to. Counted by valgrind's callgrind
// (every instruction of the process, all threads), and taken as the count of a process that imports
// the file minus the count of one that imports nothing: node's own start-up (about 85 M
// instructions) is the same for every bundle and would otherwise squash every ratio towards 1.
// Node runs with V8's `--predictable` (no background threads, fixed seeds): without it a count
// moves by up to ±4% between identical runs (concurrent GC and compilation, hash seeds); with it,
// by a few hundred instructions in 360 M.
//
// Each count takes a fresh node process under valgrind (≈ 6–10 s); counts do not depend on what
// else runs, so they are taken in parallel, one per core.
import { spawn, spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { pathToFileURL } from 'node:url';
import { median } from './stats.js';

/** Whether valgrind is on this machine (Debian package `valgrind`). */
export const canCountInstructions = () => spawnSync('valgrind', ['--version'], { stdio: 'ignore' }).status === 0;

/** Instructions a fresh node process executes to start and import `file` (or only to start, without one). */
function countProcess(file: string | undefined, environment: Record<string, string>, cwd: string): Promise<number> {
  const script = file === undefined
    ? 'process.exitCode = 0;'
    : `const m = await import(${JSON.stringify(pathToFileURL(file).href)}); if (typeof m.handler !== 'function') { process.stderr.write('no handler export'); process.exit(3); }`;
  const args = ['--tool=callgrind', '--callgrind-out-file=/dev/null', process.execPath, '--predictable', '--input-type=module', '-e', script];
  return new Promise((resolveCount, reject) => {
    const child = spawn('valgrind', args, { cwd, env: environment, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => {
      const collected = /Collected\s*:\s*(\d+)/.exec(stderr);
      if (code === 0 && collected) resolveCount(Number(collected[1]));
      else reject(new Error(`counting the import of ${file ?? '(nothing)'} failed (exit ${code}): ${stderr.trim().slice(-1_000)}`));
    });
  });
}

/** Runs `tasks` with at most one per core at a time, in order of submission; results in the same order. */
async function pooled<T>(tasks: (() => Promise<T>)[], onDone?: (done: number) => void): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const index = next++;
      results[index] = await tasks[index]!();
      onDone?.(++done);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, availableParallelism()) }, worker));
  return results;
}

export interface InstructionCounts {
  /** instructions of node's start-up alone (median of `repeats` processes) */
  startup: number;
  /** per file: instructions its import adds to start-up (median of its processes, minus `startup`) */
  imports: Map<string, number>;
}

/**
 * Instructions each of `files` costs to import. `repeated` files (the floors) are counted
 * `repeats` times and their median taken (the counts agree to a few hundred instructions); the
 * others once.
 */
export async function countImports(
  files: readonly string[],
  repeated: ReadonlySet<string>,
  { environment, cwd, repeats = 3, log }: { environment: Record<string, string>; cwd: string; repeats?: number; log: (line: string) => void },
): Promise<InstructionCounts> {
  const jobs: { file: string | undefined }[] = [];
  for (let round = 0; round < repeats; round += 1) jobs.push({ file: undefined });
  for (const file of files) for (let round = 0; round < (repeated.has(file) ? repeats : 1); round += 1) jobs.push({ file });
  const started = performance.now();
  const counts = await pooled(jobs.map(({ file }) => () => countProcess(file, environment, cwd)), (done) => {
    if (done % 25 === 0) log(`  ${done}/${jobs.length} counts (${((performance.now() - started) / 1000).toFixed(0)} s)`);
  });
  const byFile = new Map<string | undefined, number[]>();
  jobs.forEach(({ file }, index) => byFile.set(file, [...(byFile.get(file) ?? []), counts[index]!]));
  const startup = median(byFile.get(undefined)!);
  const imports = new Map(files.map((file) => [file, median(byFile.get(file)!) - startup]));
  log(`  ${jobs.length} counts under valgrind in ${((performance.now() - started) / 1000).toFixed(0)} s, ${availableParallelism()} at a time`);
  return { startup, imports };
}
