// Process and port helpers of the local runtime: is a pid alive, what is it running, stop it, is a
// port free. Linux reads /proc; elsewhere `ps` answers.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/** True when `pid` is a live process (a zombie, dead but not yet reaped, counts as gone). */
export function isRunning(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  let tasks: string[];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return !existsSync('/proc/self'); // gone meanwhile; or no /proc (macOS), where kill(0) said it exists
  }
  // A process whose first thread has exited shows as a zombie while its other threads (a JVM's)
  // still run and hold its ports: it is running until every thread is a zombie or dead.
  return tasks.some((task) => {
    try {
      // stat: `tid (comm) state …`; comm may hold spaces and parentheses, the state follows the last ')'.
      const stat = readFileSync(`/proc/${pid}/task/${task}/stat`, 'utf8');
      const state = stat.charAt(stat.lastIndexOf(')') + 2);
      return state !== 'Z' && state !== 'X';
    } catch {
      return false;
    }
  });
}

/** The command line of a live process, or undefined. */
export function commandLine(pid: number): string | undefined {
  if (!isRunning(pid)) return undefined;
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
  } catch {
    try {
      return execFileSync('ps', ['-o', 'command=', '-p', String(pid)], { encoding: 'utf8' }).trim() || undefined;
    } catch {
      return undefined;
    }
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Sends SIGTERM, waits up to `graceMs`, then SIGKILL. Resolves once the process is gone. */
export async function terminate(pid: number, graceMs = 5_000): Promise<void> {
  if (!isRunning(pid)) return;
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return;
  }
  const deadline = Date.now() + graceMs;
  while (isRunning(pid) && Date.now() < deadline) await sleep(50);
  if (!isRunning(pid)) return;
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    return;
  }
  const killDeadline = Date.now() + 5_000;
  while (isRunning(pid) && Date.now() < killDeadline) await sleep(50);
}

/** A failure with a known cause, told by its message alone (no stack trace needed). */
export class StartupError extends Error {}

export class PortInUseError extends StartupError {
  constructor(
    readonly port: number,
    readonly variable: string,
    readonly engine: string,
  ) {
    super(`port ${port} (${engine}) is already in use by another process. Stop that process, or choose another port: ${variable}=<port>.`);
    this.name = 'PortInUseError';
  }
}

/** Throws PortInUseError when something listens on `port` on any interface. */
export async function assertPortFree(port: number, variable: string, engine: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const probe = createServer();
    probe.unref();
    probe.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') reject(new PortInUseError(port, variable, engine));
      else reject(new StartupError(`port ${port} (${engine}) cannot be opened (${error.code ?? error.message}); choose another one: ${variable}=<port>.`));
    });
    // No host: the unspecified address, so a listener on any interface (IPv4 or IPv6) conflicts.
    probe.listen({ port, exclusive: true }, () => probe.close(() => resolve()));
  });
}
