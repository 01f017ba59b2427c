/**
 * One daemon per state directory. The store's LevelDB lock is taken only after the key ring is unlocked, and
 * on a first start two racing daemons could each create a key ring; so a pid lock file (`daemon.lock`, created
 * with O_EXCL) is taken first. A lock whose pid is dead (kill -9, power loss) — or is our own pid, as after a
 * container restart — is stale and replaced.
 */
import { open, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';

/** The lock file's name in the state directory. */
export const LOCK_FILE = 'daemon.lock';

/** A held lock. */
export interface InstanceLock {
  release(): Promise<void>;
}

/** Why the lock was not taken: another live process holds it. */
export class InstanceLockedError extends Error {
  constructor(readonly pid: number) {
    super(`already running (pid ${pid})`);
    this.name = 'InstanceLockedError';
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Take the state directory's instance lock, or throw InstanceLockedError naming the holder. `isDefunct` may
 * declare a live holder pid stale anyway (after kill -9 the pid can be reused by an unrelated process).
 */
export async function takeInstanceLock(dir: string, isDefunct: (pid: number) => Promise<boolean> = async () => false): Promise<InstanceLock> {
  const path = join(dir, LOCK_FILE);
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const handle = await open(path, 'wx', 0o600);
      try {
        await handle.chmod(0o600);
        await handle.writeFile(`${process.pid}\n`);
        await handle.sync();
      } finally {
        await handle.close();
      }
      return {
        async release() {
          // Only remove the lock if it is still ours.
          const holder = Number.parseInt(await readFile(path, 'utf8').catch(() => ''), 10);
          if (holder === process.pid) await unlink(path).catch(() => undefined);
        },
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const holder = Number.parseInt(await readFile(path, 'utf8').catch(() => ''), 10);
    if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && alive(holder) && !(await isDefunct(holder))) {
      throw new InstanceLockedError(holder);
    }
    // Stale (dead holder, our own recycled pid, or a torn write): remove it and try again.
    await unlink(path).catch(() => undefined);
  }
  throw new Error(`cannot take ${path}: it keeps reappearing (another daemon starting at the same moment?)`);
}
