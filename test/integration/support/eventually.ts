// Projections (the change feed, the mail projector, the mail feedback) arrive shortly after the
// write that causes them: tests poll for them, never sleep.

/** Asks `probe` again every 100 ms until `done` holds (at most `timeoutMs`: 20 s by default, for a change feed on a busy 2-core machine); answers the last value. */
export async function eventually<T>(what: string, probe: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not there after ${timeoutMs} ms; last seen ${JSON.stringify(value, null, 1)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
