// `npm run test:sync-soak -- --seeds N [--from S] [--parallel P]`: the randomized sync model
// (test/integration/sync-model.test.ts) over more seeds than `npm test` runs, against the same
// local runtime. A failure prints its seed; `--seeds 1 --from <seed>` replays that one story.
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: { seeds: { type: 'string', default: '1000' }, from: { type: 'string', default: '1' }, parallel: { type: 'string', default: '16' } },
});
for (const [name, value] of Object.entries(values)) {
  if (!/^[1-9]\d{0,6}$/.test(value)) {
    process.stderr.write(`--${name} must be a whole number from 1 (got ${value})\n`);
    process.exit(2);
  }
}
const run = spawnSync(process.execPath, ['node_modules/vitest/vitest.mjs', 'run', '--project', 'integration', 'test/integration/sync-model.test.ts'], {
  stdio: 'inherit',
  env: { ...process.env, SYNC_MODEL_SEEDS: values.seeds, SYNC_MODEL_FROM: values.from, SYNC_MODEL_PARALLEL: values.parallel },
});
process.exit(run.status ?? 1);
