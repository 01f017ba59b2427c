/**
 * Configuration of AI coding agents, checked into a project and applied to everyone who opens it.
 *
 * Agent permissions (`.claude/settings.json`, `.vscode/settings.json`): an agent allowed to run any shell command
 * or tool without asking turns one prompt injection (a README, an issue, a web page it reads) into code execution.
 *
 * MCP (Model Context Protocol) server configurations: the JSON files that tell Cursor, VS Code, Claude Code,
 * Claude Desktop, Windsurf, Cline or Gemini CLI which tool servers to start. A server configured there runs with
 * the developer's rights and the assistant's trust, so how it is fetched matters:
 * - a package runner (`npx -y pkg`, `uvx pkg`) without an exact version runs whatever was published last;
 * - a remote script piped into a shell runs whatever the host serves;
 * - a remote server reached over plain http sends its tokens and tool traffic in the clear.
 * Secrets in a server's `env` are the secrets family's (it reads every file).
 *
 * JSON (with the comments and trailing commas VS Code allows) is read with the YAML parser, which keeps every
 * node's offsets, after blanking comments in place.
 */
import { isScalar, isSeq, parseDocument, type Node } from 'yaml';
import { get, pairs } from './yaml-nodes.js';
import type { Reporter, RuleFamily, RuleMeta, SourceDoc } from '../types.js';
import { PIPE_TO_SHELL } from './docker.js';

export const AgentConfigRule = {
  AutoApprove: 'config.agent-auto-approve',
  UnpinnedServer: 'config.mcp-unpinned-server',
  RemoteScript: 'config.mcp-remote-script',
  PlaintextUrl: 'config.mcp-plaintext-url',
} as const;

const A02 = 'A02:2021-Cryptographic Failures';
const A08 = 'A08:2021-Software and Data Integrity Failures';

const RULES: readonly RuleMeta[] = [
  {
    id: AgentConfigRule.AutoApprove,
    category: 'config',
    severity: 'high',
    title: 'AI agent may run commands or tools without asking',
    description:
      'The project\'s agent settings let the assistant run any shell command (Claude Code "Bash" without a command ' +
      'pattern, or defaultMode "bypassPermissions") or approve every tool call (VS Code chat.tools.autoApprove). ' +
      'Text the agent reads, a README, an issue, a dependency\'s docs or a web page, can then make it run ' +
      'commands on the developer\'s machine with nobody asked. Checked in, the setting applies to everyone who ' +
      'opens the project.',
    cwe: ['CWE-250', 'CWE-1427'],
    owasp: ['LLM06:2025 Excessive Agency'],
    fix: 'Allow specific commands (`Bash(npm run test:*)`), keep the default permission mode, and leave tool ' +
      'approval on; put personal shortcuts in untracked local settings.',
    examples: [{ language: 'json', bad: '{ "permissions": { "allow": ["Bash"] } }', good: '{ "permissions": { "allow": ["Bash(npm run test:*)"] } }' }],
  },
  {
    id: AgentConfigRule.UnpinnedServer,
    category: 'config',
    severity: 'medium',
    title: 'MCP server fetched without a pinned version',
    description:
      'The server is started with a package runner (npx, bunx, pnpm dlx, uvx, pipx run) or docker run without an ' +
      'exact version, so every start runs whatever was published last under that name. A hijacked or malicious ' +
      'release then runs with the developer\'s rights and is handed the assistant\'s tools and tokens.',
    cwe: ['CWE-829', 'CWE-1357'],
    owasp: [A08],
    fix: 'Pin the exact version (`npx -y @scope/server@1.4.2`, `uvx server==0.6.1`, an image digest), review ' +
      'upgrades like any dependency, and prefer servers from publishers you trust.',
    examples: [{ language: 'json', bad: '{ "mcpServers": { "github": { "command": "npx", "args": ["-y", "some-mcp-server"] } } }', good: '{ "mcpServers": { "github": { "command": "npx", "args": ["-y", "some-mcp-server@1.4.2"] } } }' }],
  },
  {
    id: AgentConfigRule.RemoteScript,
    category: 'config',
    severity: 'high',
    title: 'MCP server started by piping a remote script into a shell',
    description:
      'The server\'s command downloads a script (curl, wget) and pipes it straight into a shell on every start: ' +
      'whatever the host serves at that moment runs with the developer\'s rights, with no integrity check.',
    cwe: ['CWE-494'],
    owasp: [A08],
    fix: 'Install the server once from a package manager or a release you verified (a pinned checksum or ' +
      'signature), and point the configuration at the installed command.',
    examples: [{ language: 'json', bad: '{ "mcpServers": { "x": { "command": "bash", "args": ["-c", "curl -fsSL https://example.com/mcp.sh | sh"] } } }' }],
  },
  {
    id: AgentConfigRule.PlaintextUrl,
    category: 'config',
    severity: 'medium',
    title: 'Remote MCP server over plain http',
    description:
      'The server is reached over http:// on a host other than this machine: its authorization headers, the ' +
      'assistant\'s tool calls and their results (code, files, tokens) cross the network unencrypted and can be ' +
      'read or changed on the way.',
    cwe: ['CWE-319'],
    owasp: [A02],
    fix: 'Use the server\'s https:// endpoint; keep plain http for localhost only.',
    examples: [{ language: 'json', bad: '{ "servers": { "docs": { "type": "http", "url": "http://mcp.example.com/mcp" } } }', good: '{ "servers": { "docs": { "type": "http", "url": "https://mcp.example.com/mcp" } } }' }],
  },
];

/** Agent permission files: Claude Code's project settings and VS Code's workspace settings. */
export function isAgentSettings(path: string): boolean {
  return /(?:^|\/)\.claude\/settings(?:\.local)?\.json$|(?:^|\/)\.vscode\/settings\.json$/i.test(path);
}

/** File names of MCP configurations (the editors' and assistants' own places). */
export function isMcpConfig(path: string): boolean {
  return /(?:^|\/)(?:\.?mcp\.json|mcp_config\.json|claude_desktop_config\.json|cline_mcp_settings\.json|mcp_settings\.json)$|(?:^|\/)\.gemini\/settings\.json$/i.test(path);
}

/** Replace `//` and `/* *\/` comments outside strings with spaces, so offsets stay where they were. */
function blankComments(text: string): string {
  let out = '';
  let i = 0;
  let from = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '"') {
      for (i++; i < text.length && text[i] !== '"' && text[i] !== '\n'; i++) if (text[i] === '\\') i++;
      i++;
    } else if (c === '/' && text[i + 1] === '/') {
      const end = text.indexOf('\n', i);
      const stop = end < 0 ? text.length : end;
      out += text.slice(from, i) + ' '.repeat(stop - i);
      i = from = stop;
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      const stop = end < 0 ? text.length : end + 2;
      out += text.slice(from, i) + text.slice(i, stop).replace(/[^\n]/g, ' ');
      i = from = stop;
    } else i++;
  }
  return out + text.slice(from);
}

/** A string scalar's value and range, or undefined. */
function str(node: unknown): { value: string; start: number; end: number } | undefined {
  if (!isScalar(node) || typeof node.value !== 'string' || !node.range) return undefined;
  return { value: node.value, start: node.range[0], end: node.range[1] };
}

// Package runners and where their package argument is: after the runner's own flags.
const RUNNERS: Readonly<Record<string, { prefix: readonly string[]; flagsWithValue: ReadonlySet<string> }>> = {
  npx: { prefix: [], flagsWithValue: new Set(['-p', '--package', '-c', '--call', '--registry', '--cache']) },
  bunx: { prefix: [], flagsWithValue: new Set(['-p', '--package']) },
  pnpx: { prefix: [], flagsWithValue: new Set(['--package']) },
  pnpm: { prefix: ['dlx'], flagsWithValue: new Set(['--package']) },
  yarn: { prefix: ['dlx'], flagsWithValue: new Set(['-p', '--package']) },
  uvx: { prefix: [], flagsWithValue: new Set(['--from', '--with', '--python', '-p', '--index', '--index-url']) },
  uv: { prefix: ['tool', 'run'], flagsWithValue: new Set(['--from', '--with', '--python', '-p']) },
  pipx: { prefix: ['run'], flagsWithValue: new Set(['--spec', '--python', '--index-url']) },
  docker: { prefix: ['run'], flagsWithValue: new Set(['-e', '--env', '-v', '--volume', '--name', '-p', '--publish', '--network', '--env-file', '-w', '--workdir', '-u', '--user', '--entrypoint', '--platform', '--mount', '-l', '--label']) },
};

/** Whether a package spec names an exact version for its runner. */
function pinned(runner: string, spec: string): boolean {
  if (runner === 'docker') {
    // An image digest, or a tag other than latest on the image's last path segment (a registry port is not a tag).
    if (/@sha256:[0-9a-f]{64}$/.test(spec)) return true;
    const last = spec.slice(spec.lastIndexOf('/') + 1);
    const colon = last.indexOf(':');
    return colon > 0 && last.slice(colon + 1) !== 'latest';
  }
  if (runner === 'uvx' || runner === 'uv' || runner === 'pipx') return /==\s*\d[\w.+-]*$|@\d[\w.+-]*$/.test(spec);
  // npm-style: name@1.2.3 (a scope's leading @ is not a version).
  const at = spec.lastIndexOf('@');
  return at > 0 && /^v?\d+\.\d+\.\d+(?:[-+][\w.]+)?$/.test(spec.slice(at + 1));
}

function checkServer(server: unknown, report: Reporter): void {
  const command = str(get(server, 'command')?.value);
  const argsNode = get(server, 'args')?.value;
  const args = isSeq(argsNode) ? argsNode.items.map(str) : [];
  if (command) {
    // `"command": "npx -y pkg"` written as one string: split it, keeping the command's range for the finding.
    const words = command.value.trim().split(/\s+/);
    const runner = words[0]!.replace(/^.*[/\\]/, '').replace(/\.(?:cmd|exe)$/i, '');
    const all: { value: string; start: number; end: number }[] = [
      ...words.slice(1).map((w) => ({ value: w, start: command.start, end: command.end })),
      ...args.filter((a): a is NonNullable<typeof a> => a !== undefined),
    ];
    const plan = RUNNERS[runner];
    if (plan && plan.prefix.every((p, k) => all[k]?.value === p)) {
      let k = plan.prefix.length;
      for (; k < all.length; k++) {
        const a = all[k]!.value;
        if (!a.startsWith('-')) break;
        if (plan.flagsWithValue.has(a)) k++;
        else if (runner === 'docker' && /^-[a-z]*[evpwul]$/.test(a)) k++;
      }
      const spec = all[k];
      if (spec && !pinned(runner, spec.value)) {
        report.finding({
          ruleId: AgentConfigRule.UnpinnedServer,
          start: spec.start,
          end: spec.end,
          message: `MCP server ${JSON.stringify(spec.value)} is started with ${runner} without a pinned version: each start runs the latest release`,
        });
      }
    }
    // `bash -c "curl … | sh"`
    const line = [command.value, ...args.map((a) => a?.value ?? '')].join(' ');
    if (PIPE_TO_SHELL.test(line)) {
      report.finding({ ruleId: AgentConfigRule.RemoteScript, start: command.start, end: (args.at(-1) ?? command).end, message: 'MCP server is started by piping a remote script into a shell' });
    }
  }
  const url = str(get(server, 'url')?.value) ?? str(get(server, 'serverUrl')?.value);
  if (url && /^http:\/\//i.test(url.value)) {
    const host = /^http:\/\/(?:[^@/]*@)?(\[[^\]]*\]|[^:/?#]*)/i.exec(url.value)?.[1]?.toLowerCase() ?? '';
    if (!/^(?:localhost|127(?:\.\d+){3}|\[::1\]|0\.0\.0\.0|host\.docker\.internal)$/.test(host)) {
      report.finding({ ruleId: AgentConfigRule.PlaintextUrl, start: url.start, end: url.end, message: `MCP server ${host} is reached over plain http` });
    }
  }
}

/** Claude Code `permissions` and VS Code's tool auto-approval. */
function checkPermissions(root: unknown, report: Reporter): void {
  const permissions = get(root, 'permissions')?.value;
  const allow = get(permissions, 'allow')?.value;
  for (const item of isSeq(allow) ? allow.items : []) {
    const rule = str(item);
    // `Bash` alone (or with a pattern that matches everything) allows every command.
    if (rule && /^Bash(?:\(\s*(?:\*|:\*)?\s*\))?$/.test(rule.value.trim())) {
      report.finding({ ruleId: AgentConfigRule.AutoApprove, start: rule.start, end: rule.end, message: `"${rule.value}" lets the agent run any shell command without asking` });
    }
  }
  const mode = str(get(permissions, 'defaultMode')?.value);
  if (mode?.value === 'bypassPermissions') {
    report.finding({ ruleId: AgentConfigRule.AutoApprove, start: mode.start, end: mode.end, message: 'defaultMode "bypassPermissions" lets the agent run every tool and command without asking' });
  }
  for (const key of ['chat.tools.autoApprove', 'chat.tools.global.autoApprove']) {
    const value = get(root, key)?.value;
    if (isScalar(value) && value.value === true && value.range) {
      report.finding({ ruleId: AgentConfigRule.AutoApprove, start: value.range[0], end: value.range[1], message: `${key} approves every tool call the agent makes, terminal commands included` });
    }
  }
}

/** Parse JSON with comments and trailing commas, keeping offsets; a note names the problem when it does not parse. */
function parseJsonc(doc: SourceDoc, report: Reporter, what: string): Node | null | undefined {
  const text = blankComments(doc.text);
  try {
    JSON.parse(text.replace(/,(\s*[}\]])/g, '$1')); // JSON's own message names the problem best
  } catch (err) {
    report.note({ kind: 'parse-error', message: `not valid JSON (${(err as Error).message}); ${what} rules skipped` });
    return undefined;
  }
  const parsed = parseDocument(text, { keepSourceTokens: false, strict: false, uniqueKeys: false });
  return parsed.errors.length > 0 ? undefined : parsed.contents as Node | null;
}

/** The agent configuration family: agent permission files and MCP configurations, chosen by file name. */
export const agentConfigFamily: RuleFamily = {
  name: 'agent-config',
  rules: RULES,
  appliesTo: (language) => language === 'json',
  screen: (_bytes, doc) => isMcpConfig(doc.path) || isAgentSettings(doc.path),
  run(doc: SourceDoc, report: Reporter): void {
    if (isAgentSettings(doc.path)) {
      const root = parseJsonc(doc, report, 'agent settings');
      if (root !== undefined) checkPermissions(root, report);
      return;
    }
    if (!isMcpConfig(doc.path)) return;
    const root = parseJsonc(doc, report, 'MCP');
    if (root === undefined) return;
    for (const key of ['mcpServers', 'servers', 'mcp']) {
      const servers = get(root, key)?.value;
      // Gemini and some clients nest a further `servers` map.
      for (const p of pairs(servers)) checkServer(p.value, report);
    }
  },
};
