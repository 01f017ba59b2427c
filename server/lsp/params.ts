/** Checks on request params at the boundary: a malformed request gets InvalidParams, never a crash. */
import type { Position, Range } from 'vscode-languageserver';
import { lsp } from './protocol.js';

function fail(message: string): never {
  throw new lsp.ResponseError(lsp.ErrorCodes.InvalidParams, message);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isPosition(v: unknown): v is Position {
  return isObject(v) && Number.isInteger(v.line) && Number.isInteger(v.character) && (v.line as number) >= 0 && (v.character as number) >= 0;
}

/** The document URI of a request, or InvalidParams. */
export function documentUri(params: unknown): string {
  if (!isObject(params) || !isObject(params.textDocument) || typeof params.textDocument.uri !== 'string') {
    fail('textDocument.uri must be a string');
  }
  return params.textDocument.uri;
}

/** A request's `position`, or InvalidParams. Positions past a line's end are allowed (the document clamps them). */
export function position(params: unknown): Position {
  if (!isObject(params) || !isPosition(params.position)) fail('position must be {line, character} with non-negative integers');
  return params.position;
}

/** A request's `range`, or InvalidParams. */
export function range(params: unknown): Range {
  if (!isObject(params) || !isObject(params.range) || !isPosition(params.range.start) || !isPosition(params.range.end)) {
    fail('range must be {start, end} positions with non-negative integers');
  }
  return params.range as Range;
}

/** A code action request's context diagnostics (must be an array). */
export function contextDiagnostics(params: unknown): void {
  if (!isObject(params) || !isObject(params.context) || !Array.isArray(params.context.diagnostics)) {
    fail('context.diagnostics must be an array');
  }
}

/** The first argument of a command as an object with string fields, or InvalidParams naming the field. */
export function stringArgs<K extends string>(args: unknown, command: string, keys: readonly K[]): Record<K, string> {
  const first = Array.isArray(args) ? args[0] : undefined;
  if (!isObject(first)) fail(`${command}: expected one argument object with ${keys.join(', ')}`);
  for (const k of keys) if (typeof first[k] !== 'string') fail(`${command}: argument ${k} must be a string`);
  return first as Record<K, string>;
}
