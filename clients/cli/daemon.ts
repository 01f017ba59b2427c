/**
 * `shippi daemon start|stop|status`.
 *
 *   start [--foreground] [--passphrase-file FILE] [--port N] [--host 127.0.0.1|::1] [--socket PATH] [--no-tcp] [--no-socket]
 *   stop
 *   status [--format text|json]        exit 0 running, 3 not running
 *
 * `start` without `--foreground` spawns a detached `shippi daemon start --foreground` (output to daemon.log in
 * the state directory) and returns once it accepts connections.
 */
import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import { openSync, closeSync, fchmodSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import packageJson from '../../package.json' with { type: 'json' };
import { stateDir as defaultStateDir, ensureStateDir } from '../../daemon/state.js';
import { CliError, textOrJson, withSubcommands, type Command } from './command.js';
import { writeOut } from './output/stdout.js';
import { connectForCli, EXIT_NOT_RUNNING, readAddress, type DaemonAddress } from './daemon-client.js';
import { describePathError } from '../../server/workspace/fs-errors.js';

const USAGE = `usage: shippi daemon start [--foreground] [--passphrase-file FILE] [--port N] [--host HOST] [--socket PATH] [--no-tcp] [--no-socket]
       shippi daemon stop
       shippi daemon status [--format text|json]`;

/** The `daemon` command. */
export const daemonCommand: Command = withSubcommands(USAGE, {
  start: (args) => start(defaultStateDir(), args),
  stop: (args) => stop(defaultStateDir(), args),
  status: (args) => status(defaultStateDir(), args),
});

function parse<T>(work: () => T): T {
  try {
    return work();
  } catch (err) {
    throw new CliError(`${(err as Error).message}\n${USAGE}`);
  }
}

const START_OPTIONS = {
  foreground: { type: 'boolean' },
  'passphrase-file': { type: 'string' },
  port: { type: 'string' },
  host: { type: 'string' },
  socket: { type: 'string' },
  'no-tcp': { type: 'boolean' },
  'no-socket': { type: 'boolean' },
} as const;

async function start(dir: string, args: readonly string[]): Promise<number> {
  const { values } = parse(() => parseArgs({ args: [...args], options: START_OPTIONS, strict: true, allowPositionals: false }));
  // Flags are checked first, so a mistyped flag is reported even when a daemon already runs.
  const listen = listenFromFlags(dir, values);
  const running = await liveDaemon(dir);
  if (running) {
    writeOut(`shippi daemon: already running (pid ${running.pid})\n`);
    return values.foreground ? 1 : 0;
  }
  const passphrase = readPassphrase(values['passphrase-file']);
  if (values.foreground) return runForeground(dir, passphrase, listen);
  return startDetached(dir, args, values['passphrase-file']);
}

function readPassphrase(file: string | undefined): string | undefined {
  if (file !== undefined) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      throw new CliError(`cannot read the passphrase file ${file}: ${describePathError(err)}`);
    }
    const passphrase = text.replace(/\r?\n$/, '');
    if (passphrase === '') throw new CliError(`the passphrase file ${file} is empty`);
    return passphrase;
  }
  const fromEnv = process.env['SHIPPI_PASSPHRASE'];
  return fromEnv === undefined || fromEnv === '' ? undefined : fromEnv;
}

function listenFromFlags(dir: string, values: { port?: string; host?: string; socket?: string; 'no-tcp'?: boolean; 'no-socket'?: boolean }) {
  let port: number | undefined;
  if (values.port !== undefined) {
    port = Number(values.port);
    if (!/^\d+$/.test(values.port) || port > 65535) throw new CliError(`invalid --port '${values.port}': expected 0–65535`);
  }
  const tcp = values['no-tcp'] ? {} : { host: values.host ?? '127.0.0.1', port: port ?? 0 };
  const socketPath = values.socket !== undefined ? resolve(values.socket) : join(dir, 'daemon.sock');
  const socket = values['no-socket'] || (values.socket === undefined && (process.platform === 'win32' || Buffer.byteLength(socketPath) > 103)) ? {} : { socket: socketPath };
  if (values['no-tcp'] && values['no-socket']) throw new CliError('--no-tcp and --no-socket leave nothing to listen on');
  return { ...tcp, ...socket };
}

async function runForeground(dir: string, passphrase: string | undefined, listen: ReturnType<typeof listenFromFlags>): Promise<number> {
  const { runDaemonForeground, DaemonStartError } = await import('../../daemon/main.js');
  const log = (line: string): void => void process.stderr.write(`shippi daemon: ${line}\n`);
  try {
    await runDaemonForeground({ stateDir: dir, passphrase, listen, version: packageJson.version, log });
    return 0;
  } catch (err) {
    if (err instanceof DaemonStartError) throw new CliError(err.message, err.code === 'ALREADY_RUNNING' ? 1 : 2);
    throw err;
  }
}

async function startDetached(dir: string, args: readonly string[], passphraseFile: string | undefined): Promise<number> {
  await ensureStateDir(dir);
  const logPath = join(dir, 'daemon.log');
  const logFd = openSync(logPath, 'a', 0o600);
  fchmodSync(logFd, 0o600);
  const logStart = readFileSync(logPath).length;
  // Forward the flags, with the passphrase file made absolute (the child may not share our cwd forever).
  const forwarded = [...args];
  if (passphraseFile !== undefined) {
    const at = forwarded.findIndex((a) => a === '--passphrase-file' || a.startsWith('--passphrase-file='));
    forwarded.splice(at, forwarded[at]!.includes('=') ? 1 : 2, '--passphrase-file', resolve(passphraseFile));
  }
  const script = process.argv[1];
  if (script === undefined) throw new CliError('cannot find the shippi script to start the daemon with');
  const child = spawn(process.execPath, [...process.execArgv, script, 'daemon', 'start', '--foreground', ...forwarded], {
    detached: true,
    stdio: ['ignore', logFd, logFd],
    env: process.env,
  });
  closeSync(logFd);
  let exited: number | null | undefined;
  child.on('exit', (code) => (exited = code));
  child.unref();
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    await sleep(100);
    if (exited !== undefined) {
      const output = (await readFile(logPath)).subarray(logStart).toString('utf8').trim();
      const last = output.split('\n').filter(Boolean).slice(-3).join('\n');
      if (/already running/.test(last)) {
        writeOut(`shippi daemon: already running\n`);
        return 0;
      }
      throw new CliError(`the daemon exited during start (code ${exited})${last ? `:\n${last}` : ''}`, 1);
    }
    const address = await readAddress(dir);
    if (address !== undefined && address.pid === child.pid && (await accepts(address))) {
      writeOut(`shippi daemon: started (pid ${address.pid}${address.port !== undefined ? `, port ${address.port}` : ''}${address.socket !== undefined ? `, socket ${address.socket}` : ''})\n`);
      return 0;
    }
  }
  throw new CliError(`the daemon did not start accepting connections within 60 s (see ${logPath})`, 1);
}

async function stop(dir: string, args: readonly string[]): Promise<number> {
  parse(() => parseArgs({ args: [...args], options: {}, strict: true, allowPositionals: false }));
  const running = await liveDaemon(dir);
  if (!running) {
    writeOut('shippi daemon: not running\n');
    return EXIT_NOT_RUNNING;
  }
  // Ask politely over the websocket; fall back to SIGTERM (same clean shutdown) if that is not possible.
  let asked = false;
  try {
    const client = await connectForCli(dir);
    try {
      await client.request({ type: 'daemon.shutdown' });
      asked = true;
    } finally {
      await client.close();
    }
  } catch {
    asked = false;
  }
  if (!asked) {
    try {
      process.kill(running.pid, 'SIGTERM');
    } catch (err) {
      throw new CliError(`cannot signal pid ${running.pid}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, 1);
    }
  }
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (!processAlive(running.pid)) {
      writeOut(`shippi daemon: stopped (pid ${running.pid})\n`);
      return 0;
    }
    await sleep(50);
  }
  throw new CliError(`pid ${running.pid} did not stop within 30 s`, 1);
}

async function status(dir: string, args: readonly string[]): Promise<number> {
  const { values } = parse(() => parseArgs({ args: [...args], options: { format: { type: 'string', default: 'text' } }, strict: true, allowPositionals: false }));
  const json = textOrJson(values.format) === 'json';
  const running = await liveDaemon(dir);
  if (json) {
    writeOut(`${JSON.stringify(running ? { running: true, pid: running.pid, ...running.address, stateDir: dir } : { running: false, stateDir: dir })}\n`);
  } else if (running) {
    const where = [running.address.port !== undefined ? `port ${running.address.port}` : '', running.address.socket !== undefined ? `socket ${running.address.socket}` : ''].filter(Boolean).join(', ');
    writeOut(`running (pid ${running.pid}${where ? `, ${where}` : ''})\n`);
  } else {
    writeOut('not running\n');
  }
  return running ? 0 : EXIT_NOT_RUNNING;
}

/** The running daemon for a state directory: daemon.json names a live pid that accepts connections. */
async function liveDaemon(dir: string): Promise<{ pid: number; address: DaemonAddress } | undefined> {
  const found = await readAddress(dir);
  if (!found || !processAlive(found.pid)) return undefined;
  const address: DaemonAddress = { ...(found.host !== undefined ? { host: found.host } : {}), ...(found.port !== undefined ? { port: found.port } : {}), ...(found.socket !== undefined ? { socket: found.socket } : {}) };
  return (await accepts(address)) ? { pid: found.pid, address } : undefined;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Whether something accepts a plain connection at the address (no request is sent). */
function accepts(address: DaemonAddress): Promise<boolean> {
  return new Promise((resolveAccepts) => {
    const socket = address.port !== undefined ? connect({ host: address.host ?? '127.0.0.1', port: address.port }) : address.socket !== undefined ? connect({ path: address.socket }) : undefined;
    if (!socket) return resolveAccepts(false);
    const done = (ok: boolean): void => {
      socket.destroy();
      resolveAccepts(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
