import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parse } from 'yaml';
import { scan } from '../../server/engine/index.js';
import { applyFix } from '../helpers/apply.js';
import { mark } from '../helpers/mark.js';

const WORKFLOW = '.github/workflows/ci.yml';
const ci = { only: ['ci' as const] };
const ids = (src: string) => scan(src, { path: WORKFLOW, config: ci }).map((f) => f.ruleId);

test('an issue title expanded into a run script is script injection, at the expression', () => {
  const [src, at] = mark('on: issues\njobs:\n  greet:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo "Thanks for «${{ github.event.issue.title }}»"\n');
  const [f, ...rest] = scan(src, { path: WORKFLOW, config: ci });
  assert.equal(rest, []);
  assert.equal([f?.ruleId, f?.start, f?.end], ['ci.script-injection', at.start, at.end]);
  assert.match(f!.message, /github\.event\.issue\.title/);
});

test('the script-injection fix moves the value into env, keeps valid YAML, and clears the finding', () => {
  const src = 'on: pull_request\njobs:\n  b:\n    runs-on: ubuntu-latest\n    steps:\n      - name: Show branch\n        run: echo ${{ github.head_ref }}\n      - run: make\n';
  const [f] = scan(src, { path: WORKFLOW, config: ci });
  const fixed = applyFix(src, f!.fix!);
  assert.equal(ids(fixed), []);
  const step = parse(fixed).jobs.b.steps[0];
  assert.is(step.run, 'echo "${HEAD_REF}"');
  assert.equal(step.env, { HEAD_REF: '${{ github.head_ref }}' });
  assert.is(parse(fixed).jobs.b.steps[1].run, 'make');
});

test('inside double quotes the fix does not add another pair of quotes; block scalars work too', () => {
  const src = 'on: issue_comment\njobs:\n  c:\n    steps:\n      - run: |\n          echo "${{ github.event.comment.body }}"\n          date\n';
  const [f] = scan(src, { path: WORKFLOW, config: ci });
  const step = parse(applyFix(src, f!.fix!)).jobs.c.steps[0];
  assert.is(step.run, 'echo "${COMMENT_BODY}"\ndate\n');
  assert.equal(step.env, { COMMENT_BODY: '${{ github.event.comment.body }}' });
});

test('trusted contexts, env-passed values and github-script with env are not findings', () => {
  const src = [
    'on: push',
    'jobs:',
    '  a:',
    '    steps:',
    '      - run: echo ${{ github.sha }} ${{ github.event.pull_request.number }} ${{ secrets.TOKEN }} ${{ matrix.os }}',
    '      - run: echo "$TITLE"',
    '        env:',
    '          TITLE: ${{ github.event.issue.title }}',
    '      - uses: actions/github-script@v7',
    '        with:',
    '          script: console.log(process.env.TITLE)',
  ].join('\n');
  assert.equal(ids(src), []);
});

test('github-script with an untrusted expression in its script is flagged (without a shell fix)', () => {
  const src = 'on: issues\njobs:\n  a:\n    steps:\n      - uses: actions/github-script@v7\n        with:\n          script: console.log("${{ github.event.issue.body }}")\n';
  const found = scan(src, { path: WORKFLOW, config: ci });
  assert.equal(found.map((f) => [f.ruleId, Boolean(f.fix)]), [['ci.script-injection', false]]);
});

test('pull_request_target checking out the PR head is an untrusted checkout; plain pull_request is not', () => {
  const body = 'jobs:\n  t:\n    steps:\n      - uses: actions/checkout@v4\n        with:\n          ref: ${{ github.event.pull_request.head.sha }}\n      - run: npm test\n';
  assert.equal(ids(`on: pull_request_target\n${body}`), ['ci.untrusted-checkout']);
  assert.equal(ids(`on:\n  workflow_run:\n    workflows: [ci]\n${body}`), ['ci.untrusted-checkout']);
  assert.equal(ids(`on: [pull_request, push]\n${body}`), []);
  assert.equal(ids('on: pull_request_target\njobs:\n  t:\n    steps:\n      - uses: actions/checkout@v4\n'), []);
});

test('write-all permissions are flagged at workflow and job level, with a read-all fix', () => {
  const src = 'on: push\npermissions: write-all\njobs:\n  a:\n    permissions: write-all\n    steps:\n      - run: make\n';
  const found = scan(src, { path: WORKFLOW, config: ci });
  assert.equal(found.map((f) => f.ruleId), ['ci.write-all-permissions', 'ci.write-all-permissions']);
  assert.match(applyFix(src, found[0]!.fix!), /^permissions: read-all$/m);
  assert.equal(ids('on: push\npermissions:\n  contents: read\njobs: {}\n'), []);
});

test('third-party actions on tags are unpinned; SHA pins, first-party, local and docker actions are not', () => {
  const src = [
    'on: push',
    'jobs:',
    '  a:',
    '    steps:',
    '      - uses: actions/checkout@v4',
    '      - uses: github/codeql-action/init@v3',
    '      - uses: someone/deploy@8f4b7f84864484a7bf31766abe9204da3cbe65b3',
    '      - uses: ./.github/actions/build',
    '      - uses: docker://alpine:3.19',
    '      - uses: someone/deploy@v2',
  ].join('\n');
  const found = scan(src, { path: WORKFLOW, config: ci });
  assert.equal(found.map((f) => [f.ruleId, src.slice(f.start, f.end)]), [['ci.unpinned-action', 'someone/deploy@v2']]);
});

test('ACTIONS_ALLOW_UNSECURE_COMMANDS true is flagged; false is not', () => {
  assert.equal(ids('on: push\nenv:\n  ACTIONS_ALLOW_UNSECURE_COMMANDS: true\njobs: {}\n'), ['ci.unsafe-commands-enabled']);
  assert.equal(ids('on: push\nenv:\n  ACTIONS_ALLOW_UNSECURE_COMMANDS: false\njobs: {}\n'), []);
});

test('a workflow that does not parse gives a note, not a crash; other YAML files are not workflows', async () => {
  const { analyze } = await import('../../server/engine/index.js');
  const result = analyze('on: push\njobs:\n  a: [unclosed\n', { path: WORKFLOW, config: ci });
  assert.equal(result.findings, []);
  assert.is(result.notes[0]?.kind, 'parse-error');
  assert.match(result.notes[0]!.message, /^YAML does not parse \(/); // the file is printed beside it, not in it
  assert.equal(scan('on: issues\njobs:\n  a:\n    steps:\n      - run: echo ${{ github.event.issue.title }}\n', { path: 'config/app.yml', config: ci }), []);
});

test.run();
