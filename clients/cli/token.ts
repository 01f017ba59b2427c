/**
 * `shippi token create --role ROLE [--name NAME] [--format text|json]` — prints the new token once (stdout).
 * `shippi token list [--format text|json]` — never shows tokens, only ids, roles, names and dates.
 * `shippi token revoke ID` — closes the token's open connections too.
 */
import { Role } from '../../daemon/protocol/index.js';
import { stateDir } from '../../daemon/state.js';
import { CliError, noArguments, parseCommandArgs, textOrJson as format, withSubcommands, type Command } from './command.js';
import { writeOut } from './output/stdout.js';
import { forTerminal } from './output/terminal.js';
import { requestForCli } from './daemon-client.js';

const USAGE = `usage: shippi token create --role viewer|developer|maintainer|admin [--name NAME] [--format text|json]
       shippi token list [--format text|json]
       shippi token revoke TOKEN_ID`;

function parse(args: readonly string[], withRole: boolean) {
  return parseCommandArgs(args, { format: { type: 'string', default: 'text' }, ...(withRole ? { role: { type: 'string' }, name: { type: 'string' } } : {}) }, USAGE);
}

/** The `token` command. */
export const tokenCommand: Command = withSubcommands(USAGE, {
  async create(args) {
    const { values, positionals } = parse(args, true);
    noArguments(positionals, USAGE);
    const role = Role.safeParse(values.role);
    if (!role.success) throw new CliError(`--role is required: one of ${Role.options.join(', ')}`);
    const name = typeof values.name === 'string' ? values.name : undefined;
    const created = await requestForCli(stateDir(), { type: 'token.create', role: role.data, ...(name !== undefined ? { name } : {}) });
    if (format(values.format) === 'json') writeOut(`${JSON.stringify(created)}\n`);
    else {
      writeOut(`${created.token}\n`);
      process.stderr.write(`created token ${created.id} (role ${created.role}, name ${forTerminal(created.name)}); it is shown only once\n`);
    }
    return 0;
  },
  async list(args) {
    const { values, positionals } = parse(args, false);
    noArguments(positionals, USAGE);
    const { tokens } = await requestForCli(stateDir(), { type: 'token.list' });
    if (format(values.format) === 'json') writeOut(`${JSON.stringify({ tokens })}\n`);
    else for (const t of tokens) writeOut(`${t.id}  ${t.role.padEnd(10)}  ${t.created}  ${forTerminal(t.name)}\n`);
    return 0;
  },
  async revoke(args) {
    const { values, positionals } = parse(args, false);
    if (positionals.length !== 1) throw new CliError(`give exactly one token id\n${USAGE}`);
    const result = await requestForCli(stateDir(), { type: 'token.revoke', tokenId: positionals[0]! });
    if (format(values.format) === 'json') writeOut(`${JSON.stringify(result)}\n`);
    else writeOut(`revoked ${result.revoked} (${result.closedConnections} open connection(s) closed)\n`);
    return 0;
  },
});
