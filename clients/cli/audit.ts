/**
 * `shippi audit verify [--passphrase-file FILE] [--format text|json]` — exit 0 intact, 1 broken (names the
 *   first bad entry). Through the daemon when it runs; otherwise offline, by unlocking the store directly.
 * `shippi audit tail [-n N] [--format text|json]` — the last N entries (through the daemon).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { stateDir } from '../../daemon/state.js';
import type { AuditVerifyResult } from '../../daemon/audit/types.js';
import { CliError, textOrJson, withSubcommands, type Command } from './command.js';
import { writeOut } from './output/stdout.js';
import { forTerminal } from './output/terminal.js';
import { readAddress, requestForCli } from './daemon-client.js';
import { describePathError } from '../../server/workspace/fs-errors.js';

const USAGE = `usage: shippi audit verify [--passphrase-file FILE] [--format text|json]
       shippi audit tail [-n N] [--format text|json]`;

function parse(args: readonly string[]) {
  try {
    return parseArgs({
      args: [...args],
      options: { format: { type: 'string', default: 'text' }, n: { type: 'string', short: 'n' }, 'passphrase-file': { type: 'string' } },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (err) {
    throw new CliError(`${(err as Error).message}\n${USAGE}`);
  }
}

/** The `audit` command. */
export const auditCommand: Command = withSubcommands(USAGE, {
  async verify(args) {
    const values = parse(args);
    const json = textOrJson(values.format) === 'json';
    const dir = stateDir();
    const result = (await readAddress(dir)) ? await verifyOnline(dir) : await verifyOffline(dir, values['passphrase-file']);
    if (json) writeOut(`${JSON.stringify(result)}\n`);
    else if (result.ok) writeOut(`audit log intact: ${result.entries} entries\n`);
    else writeOut(`audit log BROKEN at entry ${result.firstBad}: ${forTerminal(result.reason)} (${result.entries} entries read)\n`);
    return result.ok ? 0 : 1;
  },
  async tail(args) {
    const values = parse(args);
    const json = textOrJson(values.format) === 'json';
    const n = values.n === undefined ? 20 : Number(values.n);
    if (!Number.isInteger(n) || n < 1 || n > 10_000) throw new CliError(`invalid -n '${values.n}': expected 1–10000`);
    const { entries } = await requestForCli(stateDir(), { type: 'audit.tail', n });
    if (json) writeOut(`${JSON.stringify({ entries })}\n`);
    else {
      for (const e of entries) {
        // Details and actors come from clients (a task title, a token name): printed safe for a terminal.
        const detail = Object.entries(e.detail).map(([k, v]) => `${forTerminal(k)}=${forTerminal(String(v))}`).join(' ');
        writeOut(`${String(e.seq).padStart(6)}  ${e.ts}  ${e.type.padEnd(18)}  ${forTerminal(e.actor)}${detail ? `  ${detail}` : ''}\n`);
      }
    }
    return 0;
  },
});

async function verifyOnline(dir: string): Promise<AuditVerifyResult> {
  try {
    return await requestForCli(dir, { type: 'audit.verify' });
  } catch (err) {
    // daemon.json left by a killed daemon: fall back to reading the files directly.
    if (err instanceof CliError && err.exitCode === 3) return verifyOffline(dir, undefined);
    throw err;
  }
}

async function verifyOffline(dir: string, passphraseFile: string | undefined): Promise<AuditVerifyResult> {
  const { openStore, KEYRING_FILE } = await import('../../daemon/store/index.js');
  const { verifyAuditLog } = await import('../../daemon/audit/index.js');
  // Unlocking a directory with no key ring would create one: refuse instead of inventing state.
  if (!existsSync(join(dir, KEYRING_FILE))) throw new CliError(`no daemon state in ${dir} (the daemon has never run there)`, 3);
  const { StoreError } = await import('../../daemon/store/types.js');
  let passphrase = process.env['SHIPPI_PASSPHRASE'] || undefined;
  if (passphraseFile !== undefined) {
    try {
      passphrase = readFileSync(passphraseFile, 'utf8').replace(/\r?\n$/, '');
    } catch (err) {
      throw new CliError(`cannot read the passphrase file ${passphraseFile}: ${describePathError(err)}`);
    }
  }
  let opened;
  try {
    opened = await openStore({ dir, ...(passphrase !== undefined ? { passphrase } : {}) });
  } catch (err) {
    if (err instanceof StoreError && err.code === 'LOCKED') throw new CliError('the store is locked by a running daemon that is not answering; try again', 3);
    if (err instanceof StoreError) throw new CliError(err.message, 2);
    throw err;
  }
  try {
    // Read-only: a torn final line is reported, not repaired (the daemon repairs it when it next starts).
    return await verifyAuditLog(dir, opened.auditKey);
  } finally {
    await opened.store.close();
  }
}
