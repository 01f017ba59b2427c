/** Stable fingerprints for findings: independent of line numbers, so baselines survive edits elsewhere. */

/** 64-bit FNV-1a over UTF-16 code units, as 16 hex digits (pure JS: the engine may not import node:crypto). */
export function fnv1a64(text: string): string {
  let hi = 0xcbf29ce4;
  let lo = 0x84222325;
  for (let i = 0; i < text.length; i++) {
    lo = (lo ^ text.charCodeAt(i)) >>> 0;
    // Multiply (hi,lo) by the FNV prime 0x100000001b3 = 2^40 + 0x1b3, modulo 2^64.
    const loMul = lo * 0x1b3;
    const carry = Math.floor(loMul / 0x100000000);
    const newLo = loMul >>> 0;
    const newHi = (hi * 0x1b3 + (lo << 8) + carry) >>> 0;
    hi = newHi;
    lo = newLo;
  }
  return (hi >>> 0).toString(16).padStart(8, '0') + (lo >>> 0).toString(16).padStart(8, '0');
}

/** Collapse whitespace so re-indenting code does not change a fingerprint. */
export function normaliseForFingerprint(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/**
 * Fingerprint of a finding: the rule, the path-independent key text and how many earlier findings in
 * the same file share rule and key (so two identical lines get two fingerprints).
 */
export function fingerprintOf(ruleId: string, key: string, occurrence: number): string {
  return fnv1a64(`${ruleId}\u0000${normaliseForFingerprint(key)}\u0000${occurrence}`);
}
