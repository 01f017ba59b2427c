/**
 * A minimal LSP client for protocol tests: starts the real `node dist/shippi.js lsp --stdio`, frames JSON-RPC
 * by hand (so anything on stdout that is not a well-formed message is caught), answers the server's own
 * requests, and bounds every wait with a timeout.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const CLI = `${ROOT}dist/shippi.js`;

/** A JSON-RPC message as received. */
export interface Message {
  readonly id?: number | string | null;
  readonly method?: string;
  readonly params?: any;
  readonly result?: any;
  readonly error?: { code: number; message: string };
}

/** Whether the bundle exists (protocol tests need `npm run build` first). */
export function built(): boolean {
  return existsSync(CLI);
}

/** A running server and the client end of its stdio. */
export class LspProcess {
  readonly notifications: Message[] = [];
  readonly serverRequests: Message[] = [];
  /** Bytes on stdout that were not part of a framed JSON-RPC message. */
  readonly garbage: string[] = [];
  stderr = '';
  /** What this client answers to `workspace/configuration` for each item (null: nothing configured). */
  configuration: unknown = null;
  readonly exited: Promise<number | null>;
  private readonly child: ChildProcessWithoutNullStreams;
  private buffer = Buffer.alloc(0);
  private nextId = 1;
  private readonly waiting = new Map<number | string, (m: Message) => void>();
  private readonly watchers: { match: (m: Message) => boolean; resolve: (m: Message) => void }[] = [];

  /** Start a server (cwd defaults to the repository root). */
  constructor(opts: { cwd?: string; args?: readonly string[] } = {}) {
    this.child = spawn(process.execPath, [CLI, 'lsp', ...(opts.args ?? ['--stdio'])], { cwd: opts.cwd ?? ROOT, stdio: 'pipe' });
    this.child.stdout.on('data', (chunk: Buffer) => this.onData(chunk));
    this.child.stderr.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    this.child.stdin.on('error', () => undefined);
    this.exited = new Promise((resolve) => this.child.on('exit', (code) => resolve(code)));
  }

  private onData(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const headerEnd = this.buffer.indexOf('\r\n\r\n');
      if (headerEnd < 0) return;
      const header = this.buffer.subarray(0, headerEnd).toString('ascii');
      const length = /^Content-Length: (\d+)$/im.exec(header);
      if (!length || !/^(Content-(Length|Type): [^\r\n]+\r?\n?)+$/i.test(header)) {
        this.garbage.push(this.buffer.toString('utf8'));
        this.buffer = Buffer.alloc(0);
        return;
      }
      const total = headerEnd + 4 + Number(length[1]);
      if (this.buffer.length < total) return;
      const body = this.buffer.subarray(headerEnd + 4, total).toString('utf8');
      this.buffer = this.buffer.subarray(total);
      let message: Message;
      try {
        message = JSON.parse(body) as Message;
      } catch {
        this.garbage.push(body);
        continue;
      }
      this.dispatch(message);
    }
  }

  private dispatch(m: Message): void {
    if (m.method !== undefined && m.id !== undefined) {
      this.serverRequests.push(m);
      this.write({ jsonrpc: '2.0', id: m.id, result: m.method === 'workspace/configuration' ? (m.params?.items ?? []).map(() => this.configuration) : answer(m) });
      return;
    }
    if (m.method !== undefined) {
      this.notifications.push(m);
      for (const w of [...this.watchers]) {
        if (w.match(m)) {
          this.watchers.splice(this.watchers.indexOf(w), 1);
          w.resolve(m);
        }
      }
      return;
    }
    const resolve = m.id !== undefined && m.id !== null ? this.waiting.get(m.id) : undefined;
    if (resolve) {
      this.waiting.delete(m.id!);
      resolve(m);
    }
  }

  /** Send raw bytes (for malformed-input tests). */
  writeRaw(text: string): void {
    this.child.stdin.write(text);
  }

  private write(message: object): void {
    const body = Buffer.from(JSON.stringify(message), 'utf8');
    this.child.stdin.write(`Content-Length: ${body.length}\r\n\r\n`);
    this.child.stdin.write(body);
  }

  /** Send a request; resolves with the whole response (result or error). */
  request(method: string, params?: unknown, timeoutMs = 10_000): Promise<Message> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        reject(new Error(`no response to ${method} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiting.set(id, (m) => {
        clearTimeout(timer);
        resolve(m);
      });
      this.write({ jsonrpc: '2.0', id, method, ...(params === undefined ? {} : { params }) });
    });
  }

  /** Send a request and, right behind it, `$/cancelRequest` for it; resolves with the response. */
  requestThenCancel(method: string, params?: unknown, timeoutMs = 10_000): Promise<Message> {
    const response = this.request(method, params, timeoutMs);
    this.notify('$/cancelRequest', { id: this.nextId - 1 });
    return response;
  }

  /** Send a notification. */
  notify(method: string, params?: unknown): void {
    this.write({ jsonrpc: '2.0', method, ...(params === undefined ? {} : { params }) });
  }

  /** The next notification matching `match` (including ones already received after `since`). */
  waitFor(match: (m: Message) => boolean, timeoutMs = 10_000, since = 0): Promise<Message> {
    const already = this.notifications.slice(since).find(match);
    if (already) return Promise.resolve(already);
    return new Promise((resolve, reject) => {
      const watcher = { match, resolve: (m: Message) => { clearTimeout(timer); resolve(m); } };
      const timer = setTimeout(() => {
        this.watchers.splice(this.watchers.indexOf(watcher), 1);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for a notification`));
      }, timeoutMs);
      this.watchers.push(watcher);
    });
  }

  /** The next diagnostics published for a URI (optionally for a version). */
  diagnostics(uri: string, opts: { version?: number; since?: number; timeoutMs?: number } = {}): Promise<any[]> {
    return this.waitFor(
      (m) => m.method === 'textDocument/publishDiagnostics' && m.params.uri === uri && (opts.version === undefined || m.params.version === opts.version),
      opts.timeoutMs ?? 10_000,
      opts.since ?? 0,
    ).then((m) => m.params.diagnostics as any[]);
  }

  /** `initialize` + `initialized` with typical capabilities. */
  async initialize(opts: { rootUri?: string | null; capabilities?: object; initializationOptions?: unknown } = {}): Promise<Message> {
    const response = await this.request('initialize', {
      processId: process.pid,
      rootUri: opts.rootUri ?? null,
      capabilities: opts.capabilities ?? {
        workspace: { workspaceEdit: { documentChanges: true }, didChangeWatchedFiles: { dynamicRegistration: true }, configuration: true },
        window: { workDoneProgress: true, showDocument: { support: true } },
      },
      ...(opts.initializationOptions !== undefined ? { initializationOptions: opts.initializationOptions } : {}),
    });
    this.notify('initialized', {});
    return response;
  }

  /** Open a document. */
  open(uri: string, text: string, languageId = 'javascript', version = 1): void {
    this.notify('textDocument/didOpen', { textDocument: { uri, languageId, version, text } });
  }

  /** Polite shutdown then exit; resolves to the exit code. */
  async stop(): Promise<number | null> {
    try {
      await this.request('shutdown', undefined, 5000);
      this.notify('exit');
    } catch {
      this.kill();
    }
    return this.exitCode(5000);
  }

  /** The exit code, killing the process if it has not exited within `timeoutMs`. */
  async exitCode(timeoutMs: number): Promise<number | null> {
    const timer = setTimeout(() => this.kill(), timeoutMs);
    const code = await this.exited;
    clearTimeout(timer);
    return code;
  }

  /** Close the server's stdin, as a client that goes away does. */
  closeInput(): void {
    this.child.stdin.end();
  }

  /** Kill the server (always safe). */
  kill(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }
}

/** Answers to the requests a server sends a client. */
function answer(m: Message): unknown {
  switch (m.method) {
    case 'window/showDocument': return { success: false };
    default: return null;
  }
}
