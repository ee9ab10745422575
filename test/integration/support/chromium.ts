// Headless Chromium over the DevTools protocol on a pipe (--remote-debugging-pipe: NUL-separated
// JSON on file descriptors 3 and 4, so no WebSocket client is needed): what the tests that look at a
// page the API serves (the API reference, the borrower's page) drive Debian's chromium with.
import { spawn, type ChildProcess } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { isAlive } from '../runtime-process.js';


export const chromiumFlags = (profile: string) => [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--no-first-run', '--disable-dev-shm-usage', `--user-data-dir=${profile}`,
];

interface CdpMessage { id?: number; method?: string; params?: any; result?: any; error?: { message: string }; sessionId?: string }

export class Browser {
  private nextId = 1;
  private pending = new Map<number, { resolve: (value: any) => void; reject: (error: Error) => void }>();
  private listeners = new Set<(message: CdpMessage) => void>();
  private buffer = '';
  private stderr = '';

  private constructor(private readonly child: ChildProcess) {
    const input = child.stdio[4] as Readable;
    input.on('data', (chunk: Buffer) => {
      this.buffer += chunk.toString('utf8');
      let end: number;
      while ((end = this.buffer.indexOf('\0')) !== -1) {
        const message = JSON.parse(this.buffer.slice(0, end)) as CdpMessage;
        this.buffer = this.buffer.slice(end + 1);
        if (message.id !== undefined && this.pending.has(message.id)) {
          const waiter = this.pending.get(message.id)!;
          this.pending.delete(message.id);
          if (message.error) waiter.reject(new Error(`${message.error.message}\n${this.stderr.slice(-2000)}`));
          else waiter.resolve(message.result);
        } else for (const listener of this.listeners) listener(message);
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => (this.stderr += chunk.toString('utf8')));
  }

  static async launch(binary: string, profile: string): Promise<Browser> {
    const child = spawn(binary, [...chromiumFlags(profile), '--remote-debugging-pipe', 'about:blank'], { stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'] });
    const browser = new Browser(child);
    await browser.send('Browser.getVersion');
    return browser;
  }

  send<T = any>(method: string, params: Record<string, unknown> = {}, sessionId?: string, timeoutMs = 20_000): Promise<T> {
    const id = this.nextId++;
    const output = this.child.stdio[3] as Writable;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`${method}: no answer from Chromium within ${timeoutMs} ms\n${this.stderr.slice(-2000)}`));
      }, timeoutMs);
      this.pending.set(id, { resolve: (value) => (clearTimeout(timer), resolve(value)), reject: (error) => (clearTimeout(timer), reject(error)) });
      output.write(`${JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) })}\0`);
    });
  }

  /** The next event `method` of `sessionId` matching `accept`. */
  waitFor(method: string, sessionId: string, accept: (params: any) => boolean = () => true, timeoutMs = 20_000): Promise<any> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.listeners.delete(listener);
        reject(new Error(`no ${method} within ${timeoutMs} ms`));
      }, timeoutMs);
      const listener = (message: CdpMessage) => {
        if (message.method === method && message.sessionId === sessionId && accept(message.params)) {
          clearTimeout(timer);
          this.listeners.delete(listener);
          resolve(message.params);
        }
      };
      this.listeners.add(listener);
    });
  }

  async open(url: string) {
    const { targetId } = await this.send<{ targetId: string }>('Target.createTarget', { url: 'about:blank' });
    const { sessionId } = await this.send<{ sessionId: string }>('Target.attachToTarget', { targetId, flatten: true });
    await this.send('Page.enable', {}, sessionId);
    await this.send('Network.enable', {}, sessionId);
    const tab = new Tab(this, sessionId);
    await tab.navigate(url);
    return tab;
  }

  async close() {
    await this.send('Browser.close', {}, undefined, 5_000).catch(() => undefined);
    const exited = this.child.exitCode !== null || this.child.signalCode !== null
      || (await new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(false), 5_000);
        this.child.once('exit', () => (clearTimeout(timer), resolve(true)));
      }));
    if (!exited && this.child.pid && isAlive(this.child.pid)) this.child.kill('SIGKILL');
  }
}

export class Tab {
  constructor(private readonly browser: Browser, private readonly sessionId: string) {}

  /** Loads `url` and waits for its load event; answers the document's response. */
  async navigate(url: string) {
    const loaded = this.browser.waitFor('Page.loadEventFired', this.sessionId);
    const result = await this.browser.send<{ errorText?: string }>('Page.navigate', { url }, this.sessionId);
    if (result.errorText) throw new Error(`navigating to ${url}: ${result.errorText}`);
    await loaded;
  }

  async evaluate<T>(expression: string): Promise<T> {
    const result = await this.browser.send<{ result: { value: T }; exceptionDetails?: unknown }>('Runtime.evaluate', { expression, returnByValue: true }, this.sessionId);
    if (result.exceptionDetails) throw new Error(`evaluating ${expression}: ${JSON.stringify(result.exceptionDetails)}`);
    return result.result.value;
  }

  /** Focuses the field and types into it as a keyboard would. */
  async type(selector: string, text: string) {
    await this.evaluate(`document.querySelector(${JSON.stringify(selector)}).focus()`);
    await this.browser.send('Input.insertText', { text }, this.sessionId);
  }

  /** Clicks a submit button; answers the status and method of the document the browser loaded next. */
  async submit(selector: string): Promise<{ status: number; method: string }> {
    const request = this.browser.waitFor('Network.requestWillBeSent', this.sessionId, (params) => params.type === 'Document');
    const response = this.browser.waitFor('Network.responseReceived', this.sessionId, (params) => params.type === 'Document');
    const loaded = this.browser.waitFor('Page.loadEventFired', this.sessionId);
    await this.evaluate(`document.querySelector(${JSON.stringify(selector)}).click()`);
    const [sent, received] = await Promise.all([request, response, loaded]);
    return { status: received.response.status, method: sent.request.method };
  }
}
