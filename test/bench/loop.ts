// The one client loop every latency figure uses: sequential operations (one in flight at a time),
// a warm-up that is not timed, then `count` timed operations. Bounded: each operation has a timeout.
// A candidate and its baseline are driven by the same loop, interleaved request by request
// (timeInterleaved), so a burst of load on the machine hits both alike.
import { Agent, request } from 'node:http';

export interface LoopOptions {
  warmup: number;
  count: number;
}

/**
 * Runs several operations warmup + count times each: step i runs each operation once (the order
 * alternates from step to step), one request in flight at a time; only the `count` steps are timed. Returns one latency list
 * per operation, in the order given.
 */
export async function timeInterleaved(operations: readonly (() => Promise<void>)[], { warmup, count }: LoopOptions): Promise<number[][]> {
  const order = (step: number) => (step % 2 === 0 ? operations.map((_, index) => index) : operations.map((_, index) => operations.length - 1 - index));
  for (let step = 0; step < warmup; step += 1) for (const index of order(step)) await operations[index]!();
  const latencies = operations.map(() => new Array<number>(count));
  for (let step = 0; step < count; step += 1) {
    for (const index of order(step)) {
      const started = performance.now();
      await operations[index]!();
      latencies[index]![step] = performance.now() - started;
    }
  }
  return latencies;
}

export interface HttpGetter {
  /** one GET; rejects on a status other than `expectStatus`, a network error or the timeout */
  get(): Promise<void>;
  /** one GET returning the body, for checks outside the timed loop */
  getBody(): Promise<string>;
  close(): void;
}

/** GETs `url` over one keep-alive connection (loopback only). */
export function keepAliveGetter(url: string, options: { headers?: Record<string, string>; expectStatus?: number; timeoutMs?: number } = {}): HttpGetter {
  const target = new URL(url);
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(target.hostname)) throw new Error(`the bench only talks to loopback addresses, not ${target.hostname}`);
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const expectStatus = options.expectStatus ?? 200;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const getBody = () =>
    new Promise<string>((resolveBody, reject) => {
      const outgoing = request(
        { host: target.hostname.replace(/^\[|\]$/g, ''), port: target.port, path: `${target.pathname}${target.search}`, method: 'GET', agent, headers: options.headers },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('error', reject);
          response.on('end', () => {
            const body = Buffer.concat(chunks).toString('utf8');
            if (response.statusCode !== expectStatus) reject(new Error(`GET ${url} answered ${response.statusCode}, expected ${expectStatus}: ${body.slice(0, 300)}`));
            else resolveBody(body);
          });
        },
      );
      outgoing.setTimeout(timeoutMs, () => outgoing.destroy(new Error(`GET ${url} took longer than ${timeoutMs} ms`)));
      outgoing.on('error', reject);
      outgoing.end();
    });
  return {
    getBody,
    get: async () => {
      await getBody();
    },
    close: () => agent.destroy(),
  };
}
