// Agent configuration: permissions that let an agent act without asking, and MCP server configurations (unpinned
// package runners, remote scripts piped to a shell, plain-http remote servers).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { analyze, scan, screenBytes } from '../../server/engine/index.js';
import { isAgentSettings, isMcpConfig } from '../../server/engine/rules/agent-config.js';

const only = { only: ['config' as const] };
const found = (json: string, path = '.cursor/mcp.json') => scan(json, { path, config: only }).map((f) => [f.ruleId, json.slice(f.start, f.end)]);
const servers = (entries: string) => `{ "mcpServers": { ${entries} } }`;

test('the editors\' and assistants\' MCP configuration files are recognised; other JSON is not read', () => {
  for (const p of ['.cursor/mcp.json', '.vscode/mcp.json', '.mcp.json', 'mcp.json', 'claude_desktop_config.json', 'x/.codeium/windsurf/mcp_config.json', 'cline_mcp_settings.json', '.gemini/settings.json']) {
    assert.ok(isMcpConfig(p), p);
  }
  for (const p of ['package.json', 'mcp.json.bak', 'settings.json', 'src/mcp.ts']) assert.not.ok(isMcpConfig(p), p);
  const unpinned = servers('"a": { "command": "npx", "args": ["-y", "some-server"] }');
  assert.equal(found(unpinned, 'package.json'), []);
  // The byte screen decides by name, so other JSON is never decoded for this family.
  assert.not.ok(screenBytes(new TextEncoder().encode(unpinned), { path: 'tsconfig.json', config: only }).includes('agent-config'));
  assert.ok(screenBytes(new TextEncoder().encode(unpinned), { path: '.vscode/mcp.json', config: only }).includes('agent-config'));
});

test('package runners without an exact version are reported at the package; pinned ones are not', () => {
  assert.equal(found(servers([
    '"a": { "command": "npx", "args": ["-y", "@modelcontextprotocol/server-github"] }',
    '"b": { "command": "npx", "args": ["--yes", "--package", "tool-pkg", "tool-server@latest"] }',
    '"c": { "command": "uvx", "args": ["--from", "git+https://example.com/x", "mcp-server-fetch"] }',
    '"d": { "command": "pnpm", "args": ["dlx", "cool-mcp@^1.2.0"] }',
    '"e": { "command": "docker", "args": ["run", "-i", "--rm", "-e", "TOKEN", "ghcr.io/acme/mcp:latest"] }',
    '"f": { "command": "npx -y other-server" }',
  ].join(', '))), [
    ['config.mcp-unpinned-server', '"@modelcontextprotocol/server-github"'],
    ['config.mcp-unpinned-server', '"tool-server@latest"'],
    ['config.mcp-unpinned-server', '"mcp-server-fetch"'],
    ['config.mcp-unpinned-server', '"cool-mcp@^1.2.0"'],
    ['config.mcp-unpinned-server', '"ghcr.io/acme/mcp:latest"'],
    ['config.mcp-unpinned-server', '"npx -y other-server"'],
  ]);
  assert.equal(found(servers([
    '"a": { "command": "npx", "args": ["-y", "@scope/server@1.4.2"] }',
    '"b": { "command": "uvx", "args": ["mcp-server-time==0.6.2"] }',
    `"c": { "command": "docker", "args": ["run", "-i", "registry.example.com:5000/mcp/pg@sha256:${'a'.repeat(64)}"] }`,
    '"d": { "command": "docker", "args": ["run", "-i", "mcp/sqlite:1.2.0"] }',
    '"e": { "command": "node", "args": ["./servers/local.js"] }',
  ].join(', '))), []);
});

test('a remote script piped to a shell and plain http to another host are reported; localhost and https are not', () => {
  assert.equal(found(servers([
    '"a": { "command": "bash", "args": ["-c", "curl -fsSL https://get.example.com/mcp.sh | sh"] }',
    '"b": { "url": "http://mcp.example.com/sse" }',
    '"c": { "url": "http://localhost:3845/sse" }',
    '"d": { "url": "http://127.0.0.1:8080/mcp" }',
    '"e": { "url": "https://mcp.example.com/mcp" }',
  ].join(', '))).map(([id]) => id), ['config.mcp-remote-script', 'config.mcp-plaintext-url']);
  // VS Code's file calls the map "servers".
  assert.equal(found('{ "servers": { "docs": { "type": "http", "url": "http://docs.example.com/mcp" } } }', '.vscode/mcp.json').map(([id]) => id), ['config.mcp-plaintext-url']);
});

test('comments and trailing commas are read (JSONC); a file that does not parse gives a note naming the problem', () => {
  const jsonc = '{\n  // servers\n  "mcpServers": {\n    /* one */ "a": { "command": "npx", "args": ["-y", "srv"], },\n  },\n}\n';
  assert.equal(found(jsonc), [['config.mcp-unpinned-server', '"srv"']]);
  const broken = analyze('{ "mcpServers": { "a": ', { path: '.mcp.json', config: only });
  assert.equal(broken.findings, []);
  assert.is(broken.notes.length, 1);
  assert.match(broken.notes[0]!.message, /^not valid JSON \(.+\); MCP rules skipped$/);
});

test('agent permissions that allow every command or tool are reported; specific allowances and defaults are not', () => {
  assert.ok(isAgentSettings('.claude/settings.json') && isAgentSettings('.claude/settings.local.json') && isAgentSettings('app/.vscode/settings.json'));
  assert.not.ok(isAgentSettings('settings.json') || isAgentSettings('.claude/agents.json'));
  const claude = '{ "permissions": { "allow": ["Bash(npm run test:*)", "Bash", "Read(./src/**)", "Bash(*)"], "defaultMode": "bypassPermissions" } }';
  assert.equal(found(claude, '.claude/settings.json'), [
    ['config.agent-auto-approve', '"Bash"'],
    ['config.agent-auto-approve', '"Bash(*)"'],
    ['config.agent-auto-approve', '"bypassPermissions"'],
  ]);
  assert.equal(found('{ "permissions": { "allow": ["Bash(git diff:*)", "WebFetch(domain:docs.example.com)"], "defaultMode": "acceptEdits" } }', '.claude/settings.json'), []);
  const vscode = '{\n  "editor.tabSize": 2,\n  // let the agent work\n  "chat.tools.autoApprove": true,\n}\n';
  assert.equal(found(vscode, '.vscode/settings.json'), [['config.agent-auto-approve', 'true']]);
  assert.equal(found('{ "chat.tools.autoApprove": false }', '.vscode/settings.json'), []);
  // The same keys in another file name are not agent settings.
  assert.equal(found(claude, 'fixtures/settings.json'), []);
});

test.run();
