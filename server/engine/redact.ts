/** Rendering secrets so that no output ever carries the whole value. */

/**
 * A redacted form of a secret: a few leading characters (enough to recognise the provider prefix of a
 * long token) and the length. Short values show nothing of themselves.
 */
export function redactSecret(value: string): string {
  const shown = value.length >= 24 ? 4 : value.length >= 12 ? 2 : 0;
  return `${value.slice(0, shown)}…(${value.length} chars)`;
}
