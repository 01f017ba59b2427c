/** `shippi rules [--format text|json|markdown] [ID]`: list the rules, or show one rule's documentation. */
import { parseArgs } from 'node:util';
import { ALL_RULES, ruleById, ruleDocsUrl, type RuleMeta } from '../../server/engine/index.js';
import { CliError, type Command } from './command.js';
import { writeOut } from './output/stdout.js';
import { ruleMarkdown, rulesReference, ruleText } from './output/rule-docs.js';

const FORMATS = ['text', 'json', 'markdown'] as const;

const HELP = `usage: shippi rules [--format text|json|markdown] [RULE-ID]

List every rule (id, severity, title), or show one rule's documentation: description, CWE, OWASP,
severity, how to fix it, and examples. --format markdown prints the rules reference.
`;

function ruleJson(rule: RuleMeta): object {
  return { ...rule, helpUri: ruleDocsUrl(rule.id) };
}

export const rulesCommand: Command = {
  async run(argv: readonly string[]): Promise<number> {
    let parsed;
    try {
      parsed = parseArgs({
        args: [...argv],
        allowPositionals: true,
        strict: true,
        options: { format: { type: 'string', short: 'f' }, help: { type: 'boolean', short: 'h' } },
      });
    } catch (err) {
      throw new CliError(`${(err as Error).message.split('. ')[0]!.replace(/\.$/, '')} (see 'shippi rules --help')`);
    }
    if (parsed.values.help) {
      writeOut(HELP);
      return 0;
    }
    const format = parsed.values.format ?? 'text';
    if (!(FORMATS as readonly string[]).includes(format)) throw new CliError(`--format must be one of ${FORMATS.join(', ')}, not '${format}'`);
    if (parsed.positionals.length > 1) throw new CliError('give at most one rule id');
    const id = parsed.positionals[0];
    if (id !== undefined) {
      const rule = ruleById(id);
      if (!rule) {
        const near = ALL_RULES.filter((r) => r.id.includes(id) || id.includes(r.id.split('.')[1]!)).map((r) => r.id).slice(0, 5);
        throw new CliError(`unknown rule '${id}'${near.length ? ` (did you mean ${near.join(', ')}?)` : ''}; 'shippi rules' lists them`);
      }
      const out = format === 'json' ? `${JSON.stringify(ruleJson(rule), null, 2)}\n` : format === 'markdown' ? `${ruleMarkdown(rule, '#')}\n` : ruleText(rule);
      writeOut(out);
      return 0;
    }
    if (format === 'json') writeOut(`${JSON.stringify(ALL_RULES.map(ruleJson), null, 2)}\n`);
    else if (format === 'markdown') writeOut(rulesReference());
    else {
      const width = Math.max(...ALL_RULES.map((r) => r.id.length));
      const lines = ALL_RULES.map((r) => `${r.id.padEnd(width)}  ${r.severity.padEnd(8)}  ${r.title}`);
      writeOut(`${lines.join('\n')}\n\n${ALL_RULES.length} rules. 'shippi rules RULE-ID' shows one rule's documentation.\n`);
    }
    return 0;
  },
};
