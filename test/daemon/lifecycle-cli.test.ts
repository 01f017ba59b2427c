import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, mkdir, readdir, readFile, rm, stat, writeFile, chmod } from 'node:fs/promises';
import { build } from 'esbuild';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('../../', import.meta.url).pathname;
let home: string;
let cliBundle: string;

interface Run { code: number; stdout: string; stderr: string }

/** Run the CLI in another working directory. */
function shippiIn(cwd: string, args: string[], env: Record<string, string> = {}): Promise<Run> {
  return shippi(args, env, cwd);
}

/** Run the real CLI (bundled once, like dist/, to skip tsx's start-up cost) with umask 000, so every mode we see was set explicitly. */
function shippi(args: string[], env: Record<string, string> = {}, cwd = root): Promise<Run> {
  return new Promise((resolve) => {
    const quoted = args.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
    const child = spawn('sh', ['-c', `umask 000 && exec '${process.execPath}' '${cliBundle}' ${quoted}`], {
      cwd,
      env: { ...process.env, SHIPPI_HOME: home, SHIPPI_PASSPHRASE: '', SHIPPI_TOKEN: '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

async function mode(path: string): Promise<string> {
  return ((await stat(path)).mode & 0o777).toString(8);
}

/** Hash of every file in the state dir except the daemon's own log. */
async function fingerprint(dir: string): Promise<string> {
  const h = createHash('sha256');
  const walk = async (d: string): Promise<void> => {
    for (const e of (await readdir(d, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else if (e.isFile() && e.name !== 'daemon.log') h.update(p).update(await readFile(p));
    }
  };
  await walk(dir);
  return h.digest('hex');
}

const noStack = (r: Run): boolean => !/\n\s+at /.test(r.stderr);

test.before(async () => {
  home = await mkdtemp(join(tmpdir(), 'shippi-life-'));
  // Under node_modules/.cache so that the bundle's bare imports (level, ws, zod) resolve.
  const out = join(root, 'node_modules', '.cache', 'shippi-test');
  await mkdir(out, { recursive: true });
  cliBundle = join(out, `cli-${process.pid}.mjs`);
  await build({ entryPoints: [join(root, 'clients/cli/main.ts')], outfile: cliBundle, bundle: true, platform: 'node', format: 'esm', target: 'node20', packages: 'external', logLevel: 'warning' });
});
test.after(async () => {
  await shippi(['daemon', 'stop']);
  await rm(home, { recursive: true, force: true });
  await rm(cliBundle, { force: true });
});

test('start returns once the daemon accepts connections; files are 0600 under umask 000, a stale 0644 daemon.json is replaced', async () => {
  await writeFile(join(home, 'daemon.json'), JSON.stringify({ pid: 2 ** 22 + 12345, port: 1 }));
  await chmod(join(home, 'daemon.json'), 0o644);
  const r = await shippi(['daemon', 'start']);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, /started \(pid \d+/);
  assert.is(await mode(home), '700');
  assert.is(await mode(join(home, 'daemon.json')), '600');
  assert.is(await mode(join(home, 'owner.token')), '600');
  const info = JSON.parse(await readFile(join(home, 'daemon.json'), 'utf8'));
  assert.type(info.pid, 'number');
  assert.type(info.port, 'number');
  const status = await shippi(['daemon', 'status', '--format', 'json']);
  assert.is(status.code, 0);
  assert.equal(JSON.parse(status.stdout).running, true);
  assert.is(JSON.parse(status.stdout).pid, info.pid);
});

test('a second start says already running and touches nothing', async () => {
  const before = await fingerprint(home);
  const again = await shippi(['daemon', 'start']);
  assert.is(again.code, 0);
  assert.match(again.stdout, 'already running');
  const fg = await shippi(['daemon', 'start', '--foreground']);
  assert.is(fg.code, 1);
  assert.match(fg.stdout + fg.stderr, 'already running');
  assert.is(await fingerprint(home), before);
});

test('token create prints the token once; list never shows it; revoke removes it', async () => {
  const created = await shippi(['token', 'create', '--role', 'viewer', '--name', 'ci']);
  assert.is(created.code, 0, created.stderr);
  const token = created.stdout.trim();
  assert.match(token, /^shp_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
  assert.match(created.stderr, 'shown only once');
  const list = await shippi(['token', 'list', '--format', 'json']);
  assert.is(list.code, 0);
  const tokens = JSON.parse(list.stdout).tokens as Array<{ id: string; role: string; name: string }>;
  assert.equal(tokens.map((t) => [t.role, t.name]), [['admin', 'owner'], ['viewer', 'ci']]);
  assert.not.ok(list.stdout.includes(token.slice(22)));
  // The viewer token may read tasks but not manage tokens.
  const denied = await shippi(['token', 'list'], { SHIPPI_TOKEN: token });
  assert.is(denied.code, 4);
  assert.match(denied.stderr, 'FORBIDDEN');
  const id = tokens.find((t) => t.name === 'ci')!.id;
  const revoked = await shippi(['token', 'revoke', id]);
  assert.is(revoked.code, 0, revoked.stderr);
  const refused = await shippi(['token', 'list'], { SHIPPI_TOKEN: token });
  assert.is(refused.code, 2);
  assert.match(refused.stderr, 'refused');
  assert.ok(noStack(refused));
});

test('bad usage gets a clear one-line error and exit 2', async () => {
  const r = await shippi(['token', 'create', '--role', 'root']);
  assert.is(r.code, 2);
  assert.match(r.stderr, '--role is required: one of viewer, developer, maintainer, admin');
  const t = await shippi(['audit', 'tail', '-n', 'lots']);
  assert.is(t.code, 2);
  assert.ok(noStack(r) && noStack(t));
});

test('audit tail and verify work through the daemon; key rotate re-encrypts', async () => {
  const tail = await shippi(['audit', 'tail', '-n', '50', '--format', 'json']);
  assert.is(tail.code, 0, tail.stderr);
  const types = (JSON.parse(tail.stdout).entries as Array<{ type: string }>).map((e) => e.type);
  for (const t of ['daemon.start', 'token.created', 'auth.ok', 'permission.denied', 'token.revoked', 'auth.denied']) assert.ok(types.includes(t), t);
  const verify = await shippi(['audit', 'verify']);
  assert.is(verify.code, 0);
  assert.match(verify.stdout, /intact: \d+ entries/);
  const rotate = await shippi(['key', 'rotate']);
  assert.is(rotate.code, 0, rotate.stderr);
  assert.match(rotate.stdout, /re-encrypted \d+ record/);
});

test('stop shuts down cleanly; then status exits 3, commands say not running, and audit verify works offline', async () => {
  const info = JSON.parse(await readFile(join(home, 'daemon.json'), 'utf8'));
  const stop = await shippi(['daemon', 'stop']);
  assert.is(stop.code, 0, stop.stderr);
  let alive = true;
  try {
    process.kill(info.pid, 0);
  } catch {
    alive = false;
  }
  assert.not.ok(alive, 'the daemon process is gone');
  assert.not.ok(await stat(join(home, 'daemon.json')).catch(() => undefined), 'daemon.json removed');
  const status = await shippi(['daemon', 'status']);
  assert.is(status.code, 3);
  assert.match(status.stdout, 'not running');
  const list = await shippi(['token', 'list']);
  assert.is(list.code, 3);
  assert.match(list.stderr, 'not running');
  assert.ok(noStack(list));
  const again = await shippi(['daemon', 'stop']);
  assert.is(again.code, 3);
  const verify = await shippi(['audit', 'verify', '--format', 'json']);
  assert.is(verify.code, 0, verify.stderr);
  const result = JSON.parse(verify.stdout);
  assert.is(result.ok, true);
  assert.ok(result.entries > 5);
});

test('asking to listen on a non-loopback interface fails to start with a clear message', async () => {
  const r = await shippi(['daemon', 'start', '--foreground', '--host', '0.0.0.0']);
  assert.is(r.code, 2);
  assert.match(r.stderr, 'refusing to listen on 0.0.0.0');
  assert.ok(noStack(r));
});

test('a wrong passphrase fails to start with one clear line and changes no file', async () => {
  const before = await fingerprint(home);
  const r = await shippi(['daemon', 'start', '--foreground'], { SHIPPI_PASSPHRASE: 'not the key file' });
  assert.is(r.code, 2);
  assert.ok(noStack(r), r.stderr);
  assert.is(r.stderr.trim().split('\n').length, 1, r.stderr);
  assert.is(await fingerprint(home), before);
});

test('SIGTERM to a detached daemon is a clean shutdown: daemon.stop audited, daemon.json removed', async () => {
  const r = await shippi(['daemon', 'start', '--no-socket']);
  assert.is(r.code, 0, r.stderr);
  const info = JSON.parse(await readFile(join(home, 'daemon.json'), 'utf8'));
  assert.is(info.socket, undefined);
  process.kill(info.pid, 'SIGTERM');
  for (let i = 0; i < 200; i++) {
    try {
      process.kill(info.pid, 0);
      await new Promise((res) => setTimeout(res, 50));
    } catch {
      break;
    }
  }
  assert.not.ok(await stat(join(home, 'daemon.json')).catch(() => undefined));
  const log = await readFile(join(home, 'audit.log'), 'utf8');
  assert.match(log.trim().split('\n').at(-1)!, '"daemon.stop"');
});

test('offline audit verify names the first edited entry (exit 1)', async () => {
  const path = join(home, 'audit.log');
  const lines = (await readFile(path, 'utf8')).split('\n');
  const at = 3; // the 4th entry
  lines[at] = lines[at]!.replace(/"actor":"[^"]*"/, '"actor":"someone-else"');
  await writeFile(path, lines.join('\n'));
  const r = await shippi(['audit', 'verify']);
  assert.is(r.code, 1, r.stdout + r.stderr);
  assert.match(r.stdout, `BROKEN at entry ${at + 1}`);
});

test('--passphrase-file (relative path) reaches the detached daemon; restart with it works, without it fails', async () => {
  const secretHome = join(home, 'pp');
  const file = join(home, 'pp.txt');
  await writeFile(file, 'correct horse battery staple\n');
  const env = { SHIPPI_HOME: secretHome };
  const first = await shippiIn(home, ['daemon', 'start', '--no-socket', '--passphrase-file', 'pp.txt'], env);
  assert.is(first.code, 0, first.stderr);
  assert.is((await shippi(['token', 'create', '--role', 'viewer', '--name', 'kept'], env)).code, 0);
  assert.is((await shippi(['daemon', 'stop'], env)).code, 0);
  const noKey = await shippi(['daemon', 'start', '--foreground', '--no-socket'], env);
  assert.is(noKey.code, 2, 'no passphrase and no key file for a passphrase ring');
  assert.ok(noStack(noKey), noKey.stderr);
  const again = await shippi(['daemon', 'start', '--no-socket'], { ...env, SHIPPI_PASSPHRASE: 'correct horse battery staple' });
  assert.is(again.code, 0, again.stderr);
  const list = await shippi(['token', 'list', '--format', 'json'], env);
  assert.ok((JSON.parse(list.stdout).tokens as Array<{ name: string }>).some((t) => t.name === 'kept'));
  assert.is((await shippi(['daemon', 'stop'], env)).code, 0);
});

test('audit verify in a directory where the daemon never ran says so and creates nothing', async () => {
  const never = join(home, 'never');
  const r = await shippi(['audit', 'verify'], { SHIPPI_HOME: never });
  assert.is(r.code, 3);
  assert.match(r.stderr, 'never run');
  assert.not.ok(await stat(never).catch(() => undefined));
});

test.run();
