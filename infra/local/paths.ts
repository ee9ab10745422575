// Where the local runtime finds things on disk. Everything is resolved from the repository root, so
// `npm start` works from any working directory.
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** DynamoDB Local, extracted by infra/local/setup.mjs (git-ignored). */
export const emulatorDir = join(repoRoot, '.cache', 'dynamodb-local', 'emulator');

/** Pid files of DynamoDB Local runs that keep no data folder (`--in-memory`), one per port. */
export const inMemoryRunDir = join(repoRoot, '.cache', 'dynamodb-local', 'run');

/** The data folder of `npm start` unless DATA_DIR says otherwise (git-ignored). */
export const defaultDataDir = join(repoRoot, '.data');

/** A path for messages: relative to the repository when inside it. */
export function displayPath(path: string): string {
  return path.startsWith(`${repoRoot}/`) ? path.slice(repoRoot.length + 1) : path;
}
