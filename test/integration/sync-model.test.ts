// The randomized model of offline clients (support/sync-model.ts): 200 seeds in every test run,
// several at a time (each in its own workspace). More with `npm run test:sync-soak -- --seeds N`
// (SYNC_MODEL_SEEDS, SYNC_MODEL_FROM); a failure names its seed, which replays the same story.
import { describe, expect, it } from 'vitest';
import { signUp, type SignedInUser } from './support/api.js';
import { runModel, type ModelOutcome } from './support/sync-model.js';

const seeds = Number(process.env.SYNC_MODEL_SEEDS ?? 200);
const from = Number(process.env.SYNC_MODEL_FROM ?? 1);
/** seeds run at once: enough to keep the runtime busy, few enough that each keeps its pace */
const parallel = Number(process.env.SYNC_MODEL_PARALLEL ?? 16);
/** users are signed up again after this many seeds (access tokens last 15 minutes) */
const seedsPerUsers = 100;

describe('offline clients, replaying and syncing in random order', () => {
  it(`converge on the server's state with nothing lost or doubled (${seeds} seeds from ${from})`, async () => {
    const failures: ModelOutcome[] = [];
    let users: [SignedInUser, SignedInUser] | undefined;
    let next = from;
    let done = 0;
    const worker = async () => {
      for (;;) {
        const seed = next;
        if (seed >= from + seeds) return;
        next += 1;
        if (!users || (seed - from) % seedsPerUsers === 0) users = [await signUp(), await signUp()];
        let outcome: ModelOutcome;
        try {
          outcome = await runModel(seed, users);
        } catch (error) {
          outcome = { seed, problems: [`threw: ${(error as Error).stack ?? error}`], actions: 0 };
        }
        done += 1;
        if (outcome.problems.length > 0) {
          failures.push(outcome);
          process.stdout.write(`sync model: seed ${seed} FAILED (replay it: npm run test:sync-soak -- --seeds 1 --from ${seed})\n  ${outcome.problems.join('\n  ')}\n`);
        }
      }
    };
    await Promise.all(Array.from({ length: parallel }, worker));
    process.stdout.write(`sync model: ${done} seeds from ${from}, ${failures.length} failed${failures.length ? `: ${failures.map((failure) => failure.seed).join(', ')}` : ''}\n`);
    expect(failures.map((failure) => ({ seed: failure.seed, problems: failure.problems }))).toEqual([]);
  }, 30 * 60_000);
});
