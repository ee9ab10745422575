// Prepares a checkout for `npm start` and `npm test` (run as `prestart` / `pretest`).
// Plain Node with no dependencies: it runs before node_modules may exist.
//
// 1. installs node_modules with `npm ci` when they are missing or older than package-lock.json;
// 2. checks that Java 17+ is installed (DynamoDB Local is a Java program);
// 3. fetches DynamoDB Local once into .cache/dynamodb-local/emulator/ (git-ignored): the jar ships
//    inside the npm package amplify-dynamodb-simulator, so `npm pack` downloads it through the npm
//    registry; the tarball is checked against a pinned sha512 and only its emulator/ folder is kept.
//
// Idempotent: a second run finds everything in place and returns in well under a second.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

const dynamodbLocalPackage = {
  name: 'amplify-dynamodb-simulator',
  version: '2.9.30',
  // `npm view amplify-dynamodb-simulator@2.9.30 dist.integrity`
  integrity: 'sha512-xTeeRLvzEfqyd5lh3bH4c0kHvSHHmmhD5ZDsHFKAQ5g2Zl6JqlFdutaQhCLHzxEp6Ry1o7TB6niIoXuQAnSewQ==',
};
const spec = `${dynamodbLocalPackage.name}@${dynamodbLocalPackage.version}`;
const cacheDir = join(root, '.cache', 'dynamodb-local');
const emulatorDir = join(cacheDir, 'emulator');
const marker = join(emulatorDir, '.installed');

const say = (line) => process.stdout.write(`[setup] ${line}\n`);
const fail = (message) => {
  process.stderr.write(`\n[setup] ${message}\n\n`);
  process.exit(1);
};

function mtimeMs(path) {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return undefined;
  }
}

function ensureNodeModules() {
  const installed = mtimeMs(join(root, 'node_modules', '.package-lock.json'));
  const lock = mtimeMs(join(root, 'package-lock.json'));
  const missing = !existsSync(join(root, 'node_modules')) || installed === undefined;
  if (!missing && (lock === undefined || lock <= installed)) return;
  say(missing ? 'node_modules is missing: running npm ci…' : 'package-lock.json changed: running npm ci…');
  const result = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) fail(`npm ci failed (${result.error?.message ?? `exit code ${result.status}`}).`);
}

function ensureJava() {
  const howTo =
    'DynamoDB Local, the database of the local runtime, needs Java 17 or newer.\n' +
    '  Debian/Ubuntu: sudo apt-get install -y openjdk-17-jre-headless\n' +
    '  macOS:         brew install openjdk@17\n' +
    '  elsewhere:     any JRE 17+ (for example Eclipse Temurin), with `java` on the PATH.';
  const result = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (result.error || result.status !== 0) fail(`Java was not found (\`java -version\` failed).\n${howTo}`);
  // `java -version` writes to stderr: `openjdk version "17.0.15" …` or, before Java 9, `java version "1.8.0_392"`.
  const match = /version "(\d+)(?:\.(\d+))?/.exec(`${result.stderr}${result.stdout}`);
  const major = match ? (match[1] === '1' ? Number(match[2]) : Number(match[1])) : NaN;
  if (!(major >= 17)) {
    fail(`Java ${Number.isNaN(major) ? '(unknown version)' : major} is installed, but Java 17 or newer is required.\n${howTo}`);
  }
}

function sha512Integrity(file) {
  return `sha512-${createHash('sha512').update(readFileSync(file)).digest('base64')}`;
}

function ensureDynamoDbLocal() {
  if (existsSync(marker) && readFileSync(marker, 'utf8').trim() === spec && existsSync(join(emulatorDir, 'DynamoDBLocal.jar'))) {
    return;
  }
  mkdirSync(cacheDir, { recursive: true });
  const tarball = join(cacheDir, `${dynamodbLocalPackage.name}-${dynamodbLocalPackage.version}.tgz`);
  say(`downloading DynamoDB Local (${spec})…`);
  rmSync(tarball, { force: true });
  const pack = spawnSync('npm', ['pack', spec, '--pack-destination', cacheDir, '--silent', '--no-audit', '--no-fund'], {
    cwd: cacheDir,
    encoding: 'utf8',
  });
  if (pack.status !== 0 || !existsSync(tarball)) {
    fail(`could not download ${spec} with npm pack:\n${pack.error?.message ?? pack.stderr ?? ''}`.trimEnd());
  }
  say('verifying…');
  const actual = sha512Integrity(tarball);
  if (actual !== dynamodbLocalPackage.integrity) {
    rmSync(tarball, { force: true });
    fail(`${spec}: the tarball's checksum does not match the pinned one.\n  expected ${dynamodbLocalPackage.integrity}\n  actual   ${actual}`);
  }
  say('extracting…');
  // Extract beside the final folder, then rename: a run interrupted half-way leaves no half folder.
  const staging = join(cacheDir, `.extract-${process.pid}`);
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  const tar = spawnSync('tar', ['-xzf', tarball, '-C', staging, 'package/emulator'], { encoding: 'utf8' });
  const extracted = join(staging, 'package', 'emulator');
  if (tar.status !== 0 || !existsSync(join(extracted, 'DynamoDBLocal.jar'))) {
    rmSync(staging, { recursive: true, force: true });
    fail(`could not extract package/emulator from ${tarball}:\n${tar.error?.message ?? tar.stderr ?? ''}`.trimEnd());
  }
  writeFileSync(join(extracted, '.installed'), `${spec}\n`);
  rmSync(emulatorDir, { recursive: true, force: true });
  renameSync(extracted, emulatorDir);
  rmSync(staging, { recursive: true, force: true });
  rmSync(tarball, { force: true }); // 54 MB; npm keeps its own cached copy
  const jars = readdirSync(join(emulatorDir, 'DynamoDBLocal_lib')).length;
  say(`DynamoDB Local ready in ${emulatorDir.slice(root.length + 1)} (${jars} libraries)`);
}

ensureNodeModules();
ensureJava();
ensureDynamoDbLocal();
