// Identifiers: UUIDv7 (RFC 9562), so ids sort by creation time (sort keys of notifications, the
// activity log and movements rely on it). Made here with node:crypto rather than the `uuid`
// package, which weighed 1.4 KB on every route's cold start for these few lines. Within one
// millisecond, a counter in the 12 `rand_a` bits keeps ids of one process increasing
// (RFC 9562 §6.2, method 1); the counter starts at a random value below 2^11 so it rarely overflows,
// and when it does the timestamp moves on by one millisecond.
import { createHash, randomBytes } from 'node:crypto';

let lastMs = 0;
let counter = 0;

export function newId(): string {
  let ms = Date.now();
  if (ms <= lastMs) {
    counter += 1;
    if (counter > 0xfff) {
      lastMs += 1;
      counter = 0;
    }
    ms = lastMs;
  } else {
    lastMs = ms;
    counter = randomBytes(2).readUInt16BE() & 0x7ff;
  }
  const bytes = randomBytes(16);
  bytes.writeUIntBE(ms, 0, 6);
  bytes[6] = 0x70 | (counter >> 8);
  bytes[7] = counter & 0xff;
  return formatted(bytes);
}

/** Version and variant bits set, as text. */
function formatted(bytes: Buffer): string {
  bytes[6] = 0x70 | (bytes[6]! & 0x0f);
  bytes[8] = 0x80 | (bytes[8]! & 0x3f);
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * A UUIDv7 made from an instant and a seed (a stream record's id), not at random: projecting the
 * same record twice makes the same id, so its write is recognised, and ids still sort by time.
 */
export function derivedId(at: string, seed: string): string {
  const bytes = createHash('sha256').update(seed).digest().subarray(0, 16);
  bytes.writeUIntBE(Date.parse(at), 0, 6);
  return formatted(bytes);
}

/**
 * A create that found its client-given id taken by what it would have made (a replay) answers the
 * entity as it is: marked so, the wrapper answers 200 rather than 201.
 */
const replays = new WeakSet<object>();
export const asReplay = <T extends object>(record: T): T => (replays.add(record), record);
export const isReplay = (value: unknown): boolean => typeof value === 'object' && value !== null && replays.has(value);
