/** `shippi key rotate` — re-encrypt every stored record under a fresh data key (through the running daemon). */
import { stateDir } from '../../daemon/state.js';
import { noArguments, withSubcommands, type Command } from './command.js';
import { writeOut } from './output/stdout.js';
import { requestForCli } from './daemon-client.js';

const USAGE = 'usage: shippi key rotate';

/** The `key` command. */
export const keyCommand: Command = withSubcommands(USAGE, {
  async rotate(args) {
    noArguments(args, USAGE);
    const { reencrypted } = await requestForCli(stateDir(), { type: 'key.rotate' });
    writeOut(`rotated the data key; re-encrypted ${reencrypted} record(s)\n`);
    return 0;
  },
});
