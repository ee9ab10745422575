// Writes guarded by what a request read (a slug, a role) can lose a race to another request that
// changed the same resource meanwhile. Without If-Match the client asked for no precondition, so
// such a race is ours to settle: read again and retry, with jitter. Only a request that sent
// If-Match ever hears 412 VERSION_CONFLICT; if the resource keeps changing under us past the
// retries, the answer is 503 RESOURCE_BUSY with Retry-After, never a precondition nobody sent.
import { DomainError, VersionConflict } from './errors.js';

/** What an attempt answers when another write got there first. */
export const lostRace = Symbol('lost race');

const maxAttempts = 25;

export async function settleRace<T>(attempt: (round: number) => Promise<T | typeof lostRace>, options: { conditional: boolean }): Promise<T> {
  for (let round = 0; round < maxAttempts; round += 1) {
    if (round > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(200, 5 * round) + Math.random() * 20));
    const outcome = await attempt(round);
    if (outcome !== lostRace) return outcome;
    if (options.conditional) throw VersionConflict();
  }
  throw new DomainError('RESOURCE_BUSY', 'The resource kept changing while we tried to apply this; try again.', { retryAfter: 1 });
}
