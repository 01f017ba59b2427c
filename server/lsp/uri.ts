/** Document URIs ⇄ file-system paths. */
import { fileURLToPath } from 'node:url';

/** A file-system path for a `file:` URI; `undefined` for other schemes (untitled buffers and the like). */
export function uriToPath(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}
