/** File system errors as people read them. Its own module: worker threads need it without the walker. */

/** A one-line reason for a file system error, without a stack. */
export function describeFsError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT': return 'does not exist (or vanished during the scan)';
    case 'EACCES':
    case 'EPERM': return 'permission denied';
    case 'ELOOP': return 'symbolic link loop';
    case 'EISDIR': return 'is a directory';
    case 'EAGAIN': return 'not a regular file';
    case 'ENAMETOOLONG': return 'name too long';
    default: return `unreadable (${code ?? (err instanceof Error ? err.message : String(err))})`;
  }
}

/** The same for a path a person named (a flag or an argument): it did not vanish, it was never there. */
export function describePathError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return 'no such file or directory';
  if (code === 'ENOTDIR') return 'a directory in the path is a file';
  return describeFsError(err);
}
