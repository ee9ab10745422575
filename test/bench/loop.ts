// The one client loop every latency figure uses: sequential operations (one in flight at a time),
// a warm-up that is not timed, then `count` timed operations. Bounded: each operation has a timeout.
// A candidate and its baseline are driven by the same loop, interleaved request by request
// (timeInterleaved), so a burst of load on the machine hits both alike.
import { connect, type Socket } from 'node:net';

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

/**
 * GETs `url` over one keep-alive connection (loopback only), as a load generator (wrk, autocannon)
 * does: the request's bytes are built once and written as they are, and the answer is read by its
 * Content-Length (the local API always sends one, as API Gateway does). The figures are then what
 * the server costs, not what Node's own HTTP client adds in this process (~0.1 ms a request on
 * the bench machine), which a phone or browser would not pay here.
 */
export function keepAliveGetter(url: string, options: { headers?: Record<string, string>; expectStatus?: number; timeoutMs?: number } = {}): HttpGetter {
  const target = new URL(url);
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(target.hostname)) throw new Error(`the bench only talks to loopback addresses, not ${target.hostname}`);
  const expectStatus = options.expectStatus ?? 200;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const head = [`GET ${target.pathname}${target.search} HTTP/1.1`, `host: ${target.host}`, ...Object.entries(options.headers ?? {}).map(([name, value]) => `${name}: ${value}`)];
  const requestBytes = Buffer.from(`${head.join('\r\n')}\r\n\r\n`, 'latin1');
  let socket: Socket | undefined;
  let received: Buffer = Buffer.alloc(0);
  let waiting: { resolve: (body: string) => void; reject: (error: Error) => void; timer: NodeJS.Timeout } | undefined;
  const settle = (outcome: { body: string } | { error: Error }) => {
    const current = waiting;
    if (!current) return;
    waiting = undefined;
    clearTimeout(current.timer);
    if ('error' in outcome) current.reject(outcome.error);
    else current.resolve(outcome.body);
  };
  // One answer at a time: its head, then Content-Length bytes of body.
  const onData = (chunk: Buffer) => {
    received = received.length === 0 ? chunk : Buffer.concat([received, chunk]);
    const headEnd = received.indexOf('\r\n\r\n');
    if (headEnd < 0) return;
    const answerHead = received.toString('latin1', 0, headEnd);
    const status = Number(answerHead.slice(9, 12));
    const length = /\r\ncontent-length: *(\d+)/i.exec(answerHead);
    if (!length && status !== 204 && status !== 304) {
      socket?.destroy();
      settle({ error: new Error(`GET ${url} answered without Content-Length (the bench reads only answers framed as API Gateway frames them)`) });
      return;
    }
    const end = headEnd + 4 + Number(length?.[1] ?? 0);
    if (received.length < end) return;
    const body = received.toString('utf8', headEnd + 4, end);
    received = received.subarray(end);
    if (status !== expectStatus) settle({ error: new Error(`GET ${url} answered ${status}, expected ${expectStatus}: ${body.slice(0, 300)}`) });
    else settle({ body });
  };
  const open = () =>
    new Promise<Socket>((resolveSocket, reject) => {
      const opened = connect({ host: target.hostname.replace(/^\[|\]$/g, ''), port: Number(target.port), noDelay: true }, () => resolveSocket(opened));
      opened.on('data', onData);
      opened.on('error', (error) => {
        reject(error);
        settle({ error });
      });
      opened.on('close', () => {
        if (socket === opened) socket = undefined;
        received = Buffer.alloc(0);
        settle({ error: new Error(`GET ${url}: the server closed the connection`) });
      });
    });
  const getBody = async () => {
    if (waiting) throw new Error('keepAliveGetter: one request at a time');
    socket ??= await open();
    const connection = socket;
    return new Promise<string>((resolveBody, reject) => {
      const timer = setTimeout(() => {
        connection.destroy();
        settle({ error: new Error(`GET ${url} took longer than ${timeoutMs} ms`) });
      }, timeoutMs);
      waiting = { resolve: resolveBody, reject, timer };
      connection.write(requestBytes);
    });
  };
  return {
    getBody,
    get: async () => {
      await getBody();
    },
    close: () => socket?.destroy(),
  };
}
