/**
 * The daemon's state directory and its secret-bearing files.
 *
 * Layout (all inside one 0700 directory):
 *   key            the random 32-byte key-encryption key (only without a passphrase), 0600
 *   keyring.json   the wrapped data and audit keys, KDF parameters, rotation marker, 0600
 *   store/         the LevelDB database (values sealed; keys are namespace + random id)
 *   audit.log      the chained audit log (JSON lines), 0600
 *   audit.head     the latest checkpoint of the audit chain head, 0600
 *
 * Modes are set with an explicit chmod because the umask may be 000.
 */
import { randomBytes } from 'node:crypto';
import { chmod, lstat, mkdir, open, readFile, rename, stat, unlink } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, dirname, join } from 'node:path';

/** The state directory: `$SHIPPI_HOME`, else `$XDG_STATE_HOME/shippi`, else `~/.local/state/shippi`. */
export function stateDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env['SHIPPI_HOME']) return env['SHIPPI_HOME'];
  if (env['XDG_STATE_HOME']) return join(env['XDG_STATE_HOME'], 'shippi');
  return join(env['HOME'] || homedir(), '.local', 'state', 'shippi');
}

/** Create the state directory 0700 (parents as needed), or tighten an existing one to 0700. */
export async function ensureStateDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const info = await lstat(dir);
  // A symlink or a plain file here would let someone else choose where our secrets go.
  if (!info.isDirectory()) throw new Error(`state directory ${dir} is not a directory`);
  if (typeof process.getuid === 'function' && info.uid !== process.getuid()) {
    throw new Error(`state directory ${dir} belongs to another user (uid ${info.uid})`);
  }
  if ((info.mode & 0o777) !== 0o700) await chmod(dir, 0o700);
}

/**
 * Write a secret file atomically with mode 0600: a private temp file in the same directory, fsync, rename over
 * the target, fsync the directory. A pre-existing file with a looser mode is replaced, so it ends up 0600.
 */
export async function writeSecretFile(path: string, data: string | Uint8Array): Promise<void> {
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await open(temp, 'wx', 0o600);
  try {
    await handle.chmod(0o600); // the open mode is filtered by the umask; chmod is not
    await handle.writeFile(data);
    await handle.sync();
  } catch (err) {
    await handle.close().catch(() => undefined);
    await unlink(temp).catch(() => undefined);
    throw err;
  }
  await handle.close();
  try {
    await rename(temp, path);
  } catch (err) {
    await unlink(temp).catch(() => undefined);
    throw err;
  }
  await syncDir(dirname(path));
}

/** Read a secret file; `undefined` when it does not exist. */
export async function readSecretFile(path: string): Promise<Buffer | undefined> {
  try {
    return await readFile(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/** Tighten an existing secret file to 0600 (no-op when it is missing or already private). */
export async function tightenSecretFile(path: string): Promise<void> {
  try {
    const info = await stat(path);
    if ((info.mode & 0o777) !== 0o600) await chmod(path, 0o600);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}

/** fsync a directory so a rename in it survives a power cut (best effort where unsupported). */
export async function syncDir(dir: string): Promise<void> {
  let handle;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch {
    // Some platforms cannot open or fsync directories; the rename is still atomic there.
  } finally {
    await handle?.close().catch(() => undefined);
  }
}
