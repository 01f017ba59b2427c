/**
 * Dockerfiles, read instruction by instruction (continuation lines joined, comments dropped): containers
 * left running as root, remote scripts piped into a shell, remote ADDs, and unpinned base images.
 * The pipe-to-shell rule also reads shell scripts.
 */
import type { Reporter, RuleFamily, RuleMeta, SourceDoc } from '../types.js';

export const DockerRule = {
  RootUser: 'config.container-runs-as-root',
  PipeToShell: 'config.remote-script-piped-to-shell',
  AddRemote: 'config.docker-add-remote-url',
  UnpinnedBase: 'config.unpinned-base-image',
} as const;

const A05 = 'A05:2021-Security Misconfiguration';
const A08 = 'A08:2021-Software and Data Integrity Failures';

const RULES: readonly RuleMeta[] = [
  {
    id: DockerRule.RootUser,
    category: 'config',
    severity: 'medium',
    title: 'Container runs as root',
    description:
      'The final stage never switches to an unprivileged user (or switches back to root), so the process runs ' +
      'as root inside the container. A compromise of the application then has root in the container, which ' +
      'widens every container-escape and mounted-volume risk.',
    cwe: ['CWE-250'],
    owasp: [A05],
    fix: 'Create an unprivileged user and switch to it at the end of the final stage, e.g. ' +
      '`RUN useradd --system --uid 10001 app` then `USER 10001` (or use the image\'s own user, such as `USER node`).',
    examples: [{ language: 'dockerfile', bad: 'FROM node:20-slim\nCOPY . /app\nCMD ["node", "/app/server.js"]', good: 'FROM node:20-slim\nCOPY . /app\nUSER node\nCMD ["node", "/app/server.js"]' }],
  },
  {
    id: DockerRule.PipeToShell,
    category: 'config',
    severity: 'high',
    title: 'Remote script piped straight into a shell',
    description:
      '`curl … | sh` runs whatever the server returns at that moment, with no integrity check: a compromised ' +
      'or spoofed host, or a changed script, runs arbitrary code in the build.',
    cwe: ['CWE-494'],
    owasp: [A08],
    fix: 'Download to a file, verify a pinned checksum or signature (`echo "<sha256>  install.sh" | sha256sum -c`), ' +
      'then run it; or install from a package manager with signed packages.',
    examples: [{ language: 'dockerfile', bad: 'RUN curl -fsSL https://example.com/install.sh | sh' }],
  },
  {
    id: DockerRule.AddRemote,
    category: 'config',
    severity: 'low',
    title: 'ADD fetches a remote URL without a checksum',
    description: '`ADD https://…` downloads at build time with no integrity check, so the image contains whatever the server sent.',
    cwe: ['CWE-494'],
    owasp: [A08],
    fix: 'Use `ADD --checksum=sha256:<digest> <url> <dest>` (BuildKit) or download with curl and verify the checksum.',
    examples: [{ language: 'dockerfile', bad: 'ADD https://example.com/tool.tar.gz /opt/', good: 'ADD --checksum=sha256:24454f83… https://example.com/tool.tar.gz /opt/' }],
  },
  {
    id: DockerRule.UnpinnedBase,
    category: 'config',
    severity: 'low',
    title: 'Base image not pinned',
    description:
      'A base image with no tag, or `:latest`, changes under you: builds stop being reproducible and a ' +
      'compromised or broken upstream image flows straight in.',
    cwe: ['CWE-829'],
    owasp: [A08],
    fix: 'Pin a version tag, and ideally the digest: `FROM node:20.11-slim@sha256:<digest>`.',
    examples: [{ language: 'dockerfile', bad: 'FROM python:latest', good: 'FROM python:3.12-slim' }],
  },
];

/** One instruction: keyword, its arguments (continuations joined) and where it starts and ends. */
interface Instruction {
  readonly keyword: string;
  readonly args: string;
  readonly start: number;
  readonly argsStart: number;
  readonly end: number;
}

/** Split a Dockerfile into instructions, joining `\` continuations and skipping comments. */
export function instructions(text: string): Instruction[] {
  const out: Instruction[] = [];
  const lines = text.split('\n');
  let offset = 0;
  let current: { keyword: string; args: string; start: number; argsStart: number } | undefined;
  for (const raw of lines) {
    const lineStart = offset;
    offset += raw.length + 1;
    const line = raw.replace(/\r$/, '');
    const trimmed = line.trim();
    if (current) {
      if (trimmed.startsWith('#')) continue; // comments inside a continuation are dropped by Docker too
      const continues = /\\\s*$/.test(line);
      current.args += ` ${line.replace(/\\\s*$/, '').trim()}`;
      if (!continues) {
        out.push({ ...current, end: lineStart + line.length });
        current = undefined;
      }
      continue;
    }
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const m = /^(\s*)([A-Za-z]+)(\s+|$)/.exec(line);
    if (!m) continue;
    const argsStart = lineStart + m[0].length;
    const continues = /\\\s*$/.test(line);
    const args = line.slice(m[0].length).replace(/\\\s*$/, '').trim();
    const entry = { keyword: m[2]!.toUpperCase(), args, start: lineStart + m[1]!.length, argsStart };
    if (continues) current = entry;
    else out.push({ ...entry, end: lineStart + line.length });
  }
  if (current) out.push({ ...current, end: text.length });
  return out;
}

/** `curl … | sh` and its variants (also read in MCP server commands). */
export const PIPE_TO_SHELL = /\b(?:curl|wget)\b(?:[^|;&\n\\]|\\\r?\n|\\){0,500}\|\s*(?:sudo\s+(?:-\S+\s+)*)?(?:ba|z|da|k)?sh\b/;

function checkPipes(doc: SourceDoc, report: Reporter): void {
  const re = new RegExp(PIPE_TO_SHELL.source, 'g');
  for (let m = re.exec(doc.text); m; m = re.exec(doc.text)) {
    const lineStart = doc.text.lastIndexOf('\n', m.index) + 1;
    if (/^\s*#/.test(doc.text.slice(lineStart, m.index))) continue; // commented out
    report.finding({ ruleId: DockerRule.PipeToShell, start: m.index, end: m.index + m[0].length });
  }
}

function checkStages(doc: SourceDoc, list: Instruction[], report: Reporter): void {
  const stageNames = new Set<string>();
  let finalFrom: Instruction | undefined;
  let lastUser: Instruction | undefined;
  for (const ins of list) {
    if (ins.keyword === 'FROM') {
      finalFrom = ins;
      lastUser = undefined;
      const words = ins.args.split(/\s+/).filter((w) => !w.startsWith('--'));
      const image = words[0] ?? '';
      const alias = /^as$/i.test(words[1] ?? '') ? words[2] : undefined;
      const bare = image.replace(/^[^/]+\.[^/]+\//, ''); // registry host has a dot (or port)
      const unpinned = !image.includes('@') && (!/:[^/]+$/.test(bare) || /:latest$/.test(image));
      if (image && unpinned && image !== 'scratch' && !image.includes('$') && !stageNames.has(image.toLowerCase())) {
        const at = doc.text.indexOf(image, ins.argsStart);
        report.finding({ ruleId: DockerRule.UnpinnedBase, start: at, end: at + image.length, message: `Base image ${image} is not pinned to a version` });
      }
      if (alias) stageNames.add(alias.toLowerCase());
    } else if (ins.keyword === 'USER') {
      lastUser = ins;
    } else if (ins.keyword === 'ADD' && /(^|\s)https?:\/\//.test(ins.args) && !/--checksum=/.test(ins.args)) {
      report.finding({ ruleId: DockerRule.AddRemote, start: ins.start, end: ins.end });
    }
  }
  if (!finalFrom) return;
  const user = lastUser?.args.split(/[\s:]/)[0];
  if (lastUser && user !== 'root' && user !== '0') return;
  const at = lastUser ?? finalFrom;
  report.finding({
    ruleId: DockerRule.RootUser,
    start: at.start,
    end: at.end,
    message: lastUser ? 'The final stage switches to root and stays there' : 'The final stage never switches to an unprivileged USER, so the container runs as root',
  });
}

/** Dockerfile rules (and pipe-to-shell in shell scripts). */
export const dockerFamily: RuleFamily = {
  name: 'docker',
  rules: RULES,
  appliesTo: (language) => language === 'dockerfile' || language === 'shell',
  run(doc: SourceDoc, report: Reporter): void {
    checkPipes(doc, report);
    if (doc.language === 'dockerfile') checkStages(doc, instructions(doc.text), report);
  },
};
