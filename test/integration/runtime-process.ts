// Starts the local runtime (`tsx infra/local/start.ts`) as a child process, the way `npm start`
// does, and waits for its state file. Used by global-setup.ts and by the tests of the runtime itself.
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { isRunning } from '../../infra/local/processes.js';

export const repoRoot = resolve(import.meta.dirname, '../..');
export const tsx = join(repoRoot, 'node_modules', '.bin', 'tsx');

/** What start.ts writes to --state-file once everything answers. */
export interface RuntimeState {
  api: string;
  dynamodb: string;
  s3: string;
  ses: string;
  sesInbox: string;
  tableName: string;
  bucketName: string;
  dataDir: string;
  pids: { dynamodb: number; runtime: number };
}

export interface RuntimeProcess {
  child: ChildProcess;
  state: RuntimeState;
  /** everything the runtime printed so far (stdout and stderr) */
  output(): string;
  /** resolves with the output once `pattern` appears in it */
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<string>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** sends `signal` (SIGINT: Ctrl-C) to the runtime and waits for it (and its tsx wrapper) to exit */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Ports nothing listens on (any interface), distinct from each other. */
export async function freePorts(count: number): Promise<number[]> {
  const servers: Server[] = [];
  try {
    for (let i = 0; i < count; i += 1) {
      const server = createServer();
      await new Promise<void>((done, fail) => server.once('error', fail).listen(0, () => done()));
      servers.push(server);
    }
    return servers.map((server) => (server.address() as { port: number }).port);
  } finally {
    await Promise.all(servers.map((server) => new Promise((done) => server.close(done))));
  }
}

export interface RuntimePorts {
  PORT: string;
  DYNAMODB_PORT: string;
  S3_PORT: string;
  SES_PORT: string;
}

export async function runtimePorts(): Promise<RuntimePorts> {
  const [api, dynamodb, s3, ses] = await freePorts(4);
  return { PORT: String(api), DYNAMODB_PORT: String(dynamodb), S3_PORT: String(s3), SES_PORT: String(ses) };
}

/** True when `pid` is alive (zombies count as gone): the local runtime's own check. */
export const isAlive = isRunning;

/** `pid` and every process below it, children first. */
function processTree(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(parent, [...(children.get(parent) ?? []), Number(entry)]);
    } catch {
      // exited meanwhile
    }
  }
  const below = (id: number): number[] => (children.get(id) ?? []).flatMap((child) => [...below(child), child]);
  return [...below(pid), pid];
}

/** SIGKILLs a process and everything it started (a runtime that never got ready). */
function killTree(pid: number) {
  for (const id of processTree(pid)) {
    try {
      process.kill(id, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

export async function waitUntil(check: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((done) => setTimeout(done, 100));
  }
}

/** Runs `tsx <script> <args>` to its end; returns exit code and output. */
export function runScript(script: string, args: string[], env: Record<string, string>, timeoutMs = 60_000) {
  return new Promise<{ code: number | null; output: string }>((done, fail) => {
    const child = spawn(tsx, [script, ...args], { cwd: repoRoot, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      fail(new Error(`${script} did not finish within ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      done({ code, output });
    });
  });
}

export async function startRuntime(options: {
  env: Record<string, string>;
  args?: string[];
  timeoutMs?: number;
  /** also append the output to this file (read by tests in other processes) */
  logFile?: string;
}): Promise<RuntimeProcess> {
  const scratch = mkdtempSync(join(tmpdir(), 'runtime-state-'));
  const stateFile = join(scratch, 'state.json');
  const child = spawn(tsx, ['infra/local/start.ts', ...(options.args ?? []), '--state-file', stateFile], {
    cwd: repoRoot,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const listeners = new Set<() => void>();
  const collect = (chunk: Buffer) => {
    const text = chunk.toString();
    output += text;
    if (options.logFile) appendFileSync(options.logFile, text);
    for (const listener of listeners) listener();
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
    child.once('exit', (code, signal) => {
      exit = { code, signal };
      for (const listener of listeners) listener();
      done(exit);
    }),
  );

  const timeoutMs = options.timeoutMs ?? 90_000;
  const deadline = Date.now() + timeoutMs;
  let state: RuntimeState;
  try {
    while (!existsSync(stateFile)) {
      if (exit) throw new Error(`the local runtime exited (${JSON.stringify(exit)}) before it was ready. Its output:\n${output}`);
      if (Date.now() > deadline) {
        if (child.pid) killTree(child.pid);
        throw new Error(`the local runtime was not ready within ${timeoutMs / 1000} s. Its output:\n${output}`);
      }
      await new Promise((done) => setTimeout(done, 100));
    }
    // Written atomically (rename) by start.ts, so a file that exists is complete.
    state = JSON.parse(readFileSync(stateFile, 'utf8')) as RuntimeState;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }

  const waitForOutput = (pattern: RegExp, wait = 10_000) =>
    new Promise<string>((done, fail) => {
      const check = () => {
        if (pattern.test(output)) {
          cleanup();
          done(output);
        } else if (exit) {
          cleanup();
          fail(new Error(`the runtime exited before printing ${pattern}. Its output:\n${output}`));
        }
      };
      const timer = setTimeout(() => {
        cleanup();
        fail(new Error(`${pattern} did not appear within ${wait} ms. The runtime printed:\n${output}`));
      }, wait);
      const cleanup = () => {
        clearTimeout(timer);
        listeners.delete(check);
      };
      listeners.add(check);
      check();
    });

  const stop = async (signal: NodeJS.Signals = 'SIGINT', wait = 30_000) => {
    // To the runtime itself, not to the tsx wrapper: tsx relays a signal it receives, but SIGKILLs
    // its child when the child does not confirm within 30 ms (a busy machine), orphaning java.
    if (!exit && isAlive(state.pids.runtime)) process.kill(state.pids.runtime, signal);
    let timer: NodeJS.Timeout | undefined;
    const result = await Promise.race([exited, new Promise<undefined>((done) => (timer = setTimeout(() => done(undefined), wait)))]);
    clearTimeout(timer);
    if (result) return result;
    child.kill('SIGKILL');
    if (isAlive(state.pids.runtime)) process.kill(state.pids.runtime, 'SIGKILL');
    if (isAlive(state.pids.dynamodb)) process.kill(state.pids.dynamodb, 'SIGKILL');
    throw new Error(`the runtime did not stop within ${wait} ms after ${signal}. Its output:\n${output}`);
  };

  return { child, state, output: () => output, waitForOutput, exited, stop };
}
