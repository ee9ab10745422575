// Requests that fetch() cannot make: from another client address on the loopback network (the
// local API server reads the client address from the socket, as API Gateway's sourceIp), or to a
// base URL other than the shared runtime's. Answers the same shape as support/api.ts's `call`.
//
// On Linux every 127.x.y.z address is the loopback interface, so `localAddress: '127.0.0.2'`
// reaches the server on 127.0.0.1 and the server sees a different client.
import { request } from 'node:http';
import { apiUrl, requestOf, type ApiResponse, type CallOptions } from './api.js';

export interface RawCallOptions extends CallOptions {
  /** the source address of the connection (another "client"); the system's choice when absent */
  localAddress?: string;
  /** another runtime's base URL; the shared runtime's when absent */
  baseUrl?: string;
}

/** A request as it goes on the wire: the target (path and query) exactly as written, never normalised. */
export interface WireRequest {
  method: string;
  target: string;
  headers: Record<string, string | string[]>;
  body?: string;
  /** the source address of the connection (another "client"); the system's choice when absent */
  localAddress?: string;
}

/** An answer as it came: status, headers and the body's text. */
export interface WireAnswer {
  status: number;
  headers: Headers;
  text: string;
}

/**
 * One request over node:http on a fresh connection, sent exactly as given to `baseUrl`. Header
 * values go out as their UTF-8 bytes (node:http refuses characters above U+00FF otherwise).
 */
export function sendOnWire(baseUrl: string, wire: WireRequest): Promise<WireAnswer> {
  const base = new URL(baseUrl);
  const bytes = (value: string) => Buffer.from(value, 'utf8').toString('latin1');
  const headers: Record<string, string | string[]> = { connection: 'close' };
  for (const [name, value] of Object.entries(wire.headers)) headers[name] = Array.isArray(value) ? value.map(bytes) : bytes(value);
  if (wire.body !== undefined) headers['content-length'] = String(Buffer.byteLength(wire.body));
  return new Promise((resolve, reject) => {
    const outgoing = request({
      host: base.hostname, port: base.port, method: wire.method, path: wire.target, headers, agent: false,
      ...(wire.localAddress ? { localAddress: wire.localAddress } : {}),
    }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('error', reject);
      response.on('end', () => {
        const answerHeaders = new Headers();
        for (const [name, value] of Object.entries(response.headers)) {
          if (value === undefined) continue;
          for (const one of Array.isArray(value) ? value : [value]) answerHeaders.append(name, one);
        }
        resolve({ status: response.statusCode ?? 0, headers: answerHeaders, text: Buffer.concat(chunks).toString('utf8') });
      });
    });
    outgoing.on('error', reject);
    outgoing.end(wire.body);
  });
}

/** One request over node:http (a fresh connection each time), answered like `call`. */
export async function rawCall<T = any>(method: string, path: string, options: RawCallOptions = {}): Promise<ApiResponse<T>> {
  const { url, headers, body } = requestOf(options.baseUrl ?? apiUrl(), path, options);
  const answer = await sendOnWire(url.origin, {
    method, target: url.pathname + url.search, headers,
    ...(body !== undefined ? { body } : {}), ...(options.localAddress ? { localAddress: options.localAddress } : {}),
  });
  const json = /json/i.test(answer.headers.get('content-type') ?? '') && answer.text ? JSON.parse(answer.text) : undefined;
  return { ...answer, json };
}

/** POST /auth/login from `localAddress` (another client of the same API). */
export function loginFrom(localAddress: string, email: string, password: string, baseUrl?: string) {
  return rawCall('POST', '/auth/login', { localAddress, baseUrl, body: { email, password } });
}
