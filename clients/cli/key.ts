/** `shippi key rotate` — re-encrypt every stored record under a fresh data key (through the running daemon). */
import { stateDir } from '../../daemon/state.js';
import { CliError, type Command } from './command.js';
import { writeOut } from './output/stdout.js';
import { requestForCli } from './daemon-client.js';

const USAGE = 'usage: shippi key rotate';

/** The `key` command. */
export const keyCommand: Command = {
  async run(argv) {
    const [sub, ...rest] = argv;
    if (sub === undefined || sub === '--help' || sub === '-h') {
      writeOut(`${USAGE}\n`);
      return sub === undefined ? 2 : 0;
    }
    if (sub !== 'rotate') throw new CliError(`unknown subcommand '${sub}'\n${USAGE}`);
    if (rest.length) throw new CliError(`unexpected argument '${rest[0]}'\n${USAGE}`);
    const { reencrypted } = await requestForCli(stateDir(), { type: 'key.rotate' });
    writeOut(`rotated the data key; re-encrypted ${reencrypted} record(s)\n`);
    return 0;
  },
};
