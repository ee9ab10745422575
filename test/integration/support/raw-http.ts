// Requests that fetch() cannot make: from another client address on the loopback network (the
// local API server reads the client address from the socket, as API Gateway's sourceIp), or to a
// base URL other than the shared runtime's. Answers the same shape as support/api.ts's `call`.
//
// On Linux every 127.x.y.z address is the loopback interface, so `localAddress: '127.0.0.2'`
// reaches the server on 127.0.0.1 and the server sees a different client.
import { request } from 'node:http';
import { apiUrl, type ApiResponse, type CallOptions } from './api.js';

export interface RawCallOptions extends CallOptions {
  /** the source address of the connection (another "client"); the system's choice when absent */
  localAddress?: string;
  /** another runtime's base URL; the shared runtime's when absent */
  baseUrl?: string;
}

/** One request over node:http (a fresh connection each time), answered like `call`. */
export function rawCall<T = any>(method: string, path: string, options: RawCallOptions = {}): Promise<ApiResponse<T>> {
  const url = new URL((options.baseUrl ?? apiUrl()).replace(/\/+$/, '') + path);
  for (const [name, value] of Object.entries(options.query ?? {})) if (value !== undefined) url.searchParams.set(name, String(value));
  const headers: Record<string, string> = { accept: 'application/json', connection: 'close', ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let body: string | undefined;
  if (options.rawBody !== undefined) body = options.rawBody;
  else if (options.body !== undefined) body = JSON.stringify(options.body);
  if (body !== undefined) {
    headers['content-type'] ??= 'application/json';
    headers['content-length'] = String(Buffer.byteLength(body));
  }
  return new Promise((resolve, reject) => {
    const outgoing = request(
      {
        host: url.hostname, port: url.port, method, path: url.pathname + url.search, headers, agent: false,
        ...(options.localAddress ? { localAddress: options.localAddress } : {}),
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () => {
          const answerHeaders = new Headers();
          for (const [name, value] of Object.entries(response.headers)) {
            if (value === undefined) continue;
            for (const one of Array.isArray(value) ? value : [value]) answerHeaders.append(name, one);
          }
          const text = Buffer.concat(chunks).toString('utf8');
          let json: any;
          if (/json/i.test(answerHeaders.get('content-type') ?? '') && text) json = JSON.parse(text);
          resolve({ status: response.statusCode!, headers: answerHeaders, json, text });
        });
      },
    );
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

/** POST /auth/login from `localAddress` (another client of the same API). */
export function loginFrom(localAddress: string, email: string, password: string, baseUrl?: string) {
  return rawCall('POST', '/auth/login', { localAddress, baseUrl, body: { email, password } });
}
