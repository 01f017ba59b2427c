/**
 * The checks made on an HTTP upgrade request before the websocket handshake — before any handler can run.
 * Browsers always send `Origin` on websocket upgrades, so any `Origin` is refused (no cross-site websocket
 * hijacking); `Host` must name the loopback interface, so a DNS-rebound name is refused; the token comes
 * only from `Authorization: Bearer …`, never the URL (URLs end up in logs and browser history).
 */
import type { IncomingMessage } from 'node:http';
import type { TokenInfo } from '../protocol/index.js';

/** The verdict on one upgrade request. */
export type UpgradeVerdict =
  | { readonly ok: true; readonly token: TokenInfo }
  | { readonly ok: false; readonly status: 400 | 401 | 403 | 404; readonly reason: string; readonly tokenId?: string };

/** Loopback host names, with an optional port. */
const LOOPBACK_HOST = /^(?:localhost|127\.0\.0\.1|\[::1\])(?::\d{1,5})?$/i;
const BEARER = /^Bearer ([\x21-\x7e]+)$/;

/** Decide whether an upgrade may proceed. `overUnixSocket` allows a missing Host (unix-socket clients may omit it). */
export function checkUpgrade(
  req: Pick<IncomingMessage, 'headers' | 'url' | 'rawHeaders'>,
  overUnixSocket: boolean,
  authenticate: (token: string) => TokenInfo | undefined,
): UpgradeVerdict {
  const headers = req.headers;
  if (headers.origin !== undefined || headers['sec-websocket-origin'] !== undefined) {
    return { ok: false, status: 403, reason: 'requests with an Origin header are refused (browsers may not connect)' };
  }
  // Node joins repeated Host headers; count them from the raw list so "Host: a, b" tricks cannot pass.
  const hosts = countHeader(req.rawHeaders, 'host');
  const host = headers.host;
  if (hosts > 1) return { ok: false, status: 400, reason: 'more than one Host header' };
  if (host === undefined || host === '') {
    if (!overUnixSocket) return { ok: false, status: 403, reason: 'a Host header naming localhost is required' };
  } else if (!LOOPBACK_HOST.test(host)) {
    return { ok: false, status: 403, reason: 'Host must be localhost, 127.0.0.1 or [::1]' };
  }
  const url = req.url ?? '/';
  if (url.includes('?')) {
    return { ok: false, status: 400, reason: 'query strings are refused: send the token in the Authorization header, never the URL' };
  }
  if (url !== '/') return { ok: false, status: 404, reason: 'the daemon listens on / only' };
  if (countHeader(req.rawHeaders, 'authorization') > 1) return { ok: false, status: 400, reason: 'more than one Authorization header' };
  const auth = headers.authorization;
  if (auth === undefined) return { ok: false, status: 401, reason: 'missing Authorization: Bearer token' };
  const m = BEARER.exec(auth);
  if (!m) return { ok: false, status: 401, reason: 'malformed Authorization header: expected "Bearer <token>"' };
  const token = authenticate(m[1]!);
  if (!token) return { ok: false, status: 401, reason: 'unknown or revoked token' };
  return { ok: true, token };
}

function countHeader(raw: readonly string[], name: string): number {
  let n = 0;
  for (let i = 0; i < raw.length; i += 2) if (raw[i]!.toLowerCase() === name) n++;
  return n;
}
