/**
 * `shippi task list [--status STATUS] [--file PATH] [--limit N] [--format text|json]` — newest first.
 * `shippi task show TASK_ID [--format text|json]` — one task with its prompt, response, proposed edit and history.
 *
 * Exit 0; 1 when the daemon refuses (NOT_FOUND, …) or a listing skipped stored records that failed
 * authentication (named on stderr); 2 for bad usage; 3 when no daemon runs; 4 when the token's role may not read tasks.
 *
 * Both read through the daemon (permission tasks.read). Titles, prompts and model responses come from
 * clients and models, so the text format prints them through `forTerminal`.
 */
import { TaskGetRequest, TaskStatus, type Task } from '../../daemon/protocol/index.js';
import { stateDir } from '../../daemon/state.js';
import { CliError, noArguments, parseCommandArgs, textOrJson as format, withSubcommands, type Command } from './command.js';
import { requestForCli } from './daemon-client.js';
import { writeOut } from './output/stdout.js';
import { forTerminal, linesForTerminal } from './output/terminal.js';

const USAGE = `usage: shippi task list [--status STATUS] [--file PATH] [--limit N] [--format text|json]
       shippi task show TASK_ID [--format text|json]
STATUS is one of ${TaskStatus.options.join(', ')}.`;

function parse(args: readonly string[], listing: boolean) {
  const filters = { status: { type: 'string' }, file: { type: 'string' }, limit: { type: 'string' } } as const;
  return parseCommandArgs(args, { format: { type: 'string', default: 'text' }, ...(listing ? filters : {}) }, USAGE);
}

/** One line per task: id, status, kind, last change, title. */
function formatTaskLine(task: Task): string {
  return `${task.id}  ${task.status.padEnd(11)}  ${task.kind.padEnd(7)}  ${task.updated}  ${forTerminal(task.title)}`;
}

/** A task for people: fields, then prompt, response, proposed edit and history, each under a heading. */
function formatTask(task: Task): string {
  const out = [
    `${task.id}  ${forTerminal(task.title)}`,
    `  kind ${task.kind}, status ${task.status}`,
    `  created ${task.created} by ${forTerminal(task.createdBy)}, updated ${task.updated}`,
  ];
  if (task.workspace !== undefined) out.push(`  workspace ${forTerminal(task.workspace)}`);
  for (const f of task.files) out.push(`  file ${forTerminal(f.path)}${f.line !== undefined ? `:${f.line}` : ''}`);
  const block = (heading: string, text: string): void => {
    out.push('', `${heading}:`, ...linesForTerminal(text).split('\n').map((line) => `  ${line}`));
  };
  if (task.prompt !== undefined) block('prompt (as stored: secrets redacted)', task.prompt);
  if (task.response !== undefined) block('response', task.response);
  if (task.edit !== undefined) {
    out.push('', `proposed edit to ${forTerminal(task.edit.path)} (${task.edit.edits.length} change${task.edit.edits.length === 1 ? '' : 's'}):`);
    for (const e of task.edit.edits) {
      const quoted = JSON.stringify(e.newText); // one line, with its newlines visible
      out.push(`  replace [${e.start}, ${e.end}) with ${forTerminal(quoted.length > 200 ? `${quoted.slice(0, 200)}…` : quoted)}`);
    }
  }
  out.push('', 'history:');
  for (const h of task.history) {
    out.push(`  ${h.at}  ${(h.from ?? '—').padEnd(11)} → ${h.to.padEnd(11)}  ${forTerminal(h.actor)}${h.note !== undefined ? `  ${forTerminal(h.note)}` : ''}`);
  }
  return `${out.join('\n')}\n`;
}

/** The `task` command. */
export const taskCommand: Command = withSubcommands(USAGE, {
  async list(args) {
    const { values, positionals } = parse(args, true);
    noArguments(positionals, USAGE);
    const json = format(values.format) === 'json';
    let status: TaskStatus | undefined;
    if (values.status !== undefined) {
      const parsed = TaskStatus.safeParse(values.status);
      if (!parsed.success) throw new CliError(`invalid --status '${String(values.status)}': expected one of ${TaskStatus.options.join(', ')}`);
      status = parsed.data;
    }
    let limit: number | undefined;
    if (values.limit !== undefined) {
      limit = Number(values.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 10_000) throw new CliError(`invalid --limit '${String(values.limit)}': expected 1–10000`);
    }
    const file = typeof values.file === 'string' ? values.file : undefined;
    if (file === '') throw new CliError('--file must not be empty');
    const { tasks, unreadable } = await requestForCli(stateDir(), {
      type: 'task.list',
      ...(status !== undefined ? { status } : {}),
      ...(file !== undefined ? { file } : {}),
      ...(limit !== undefined ? { limit } : {}),
    });
    if (json) writeOut(`${JSON.stringify({ tasks, ...(unreadable?.length ? { unreadable } : {}) })}\n`);
    else {
      for (const t of tasks) writeOut(`${formatTaskLine(t)}\n`);
      if (tasks.length === 0) process.stderr.write('no tasks\n');
    }
    // A record that fails authentication is tampering or damage: say so, whatever the format.
    if (unreadable?.length) process.stderr.write(`shippi task: ${unreadable.length} stored task(s) failed authentication and were skipped: ${unreadable.map(forTerminal).join(', ')}\n`);
    return unreadable?.length ? 1 : 0;
  },
  async show(args) {
    const { values, positionals } = parse(args, false);
    if (positionals.length !== 1) throw new CliError(`give exactly one task id\n${USAGE}`);
    const json = format(values.format) === 'json';
    const taskId = TaskGetRequest.shape.taskId.safeParse(positionals[0]);
    if (!taskId.success) throw new CliError(`invalid task id '${forTerminal(positionals[0]!)}': expected t_ and 24 hex digits (see 'shippi task list')`);
    const task = await requestForCli(stateDir(), { type: 'task.get', taskId: taskId.data });
    writeOut(json ? `${JSON.stringify(task)}\n` : formatTask(task));
    return 0;
  },
});
