// SARIF output checked against the required fields and types of the SARIF 2.1.0 schema, plus what GitHub
// code scanning reads (ruleIndex, security-severity, CWE tags, partialFingerprints, %SRCROOT%).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ALL_RULES } from '../../server/engine/index.js';
import { shippi, tempTree } from './helpers.js';

const BIDI = '\u202E';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Collect violations of the SARIF 2.1.0 schema's required properties (the parts a consumer depends on). */
function sarifProblems(log: unknown): string[] {
  const problems: string[] = [];
  const need = (cond: boolean, what: string) => {
    if (!cond) problems.push(what);
  };
  const message = (m: unknown, where: string) => need(isObject(m) && (typeof m.text === 'string' || typeof m.id === 'string'), `${where}: message needs text or id`);
  const mfString = (m: unknown, where: string) => need(isObject(m) && typeof m.text === 'string', `${where}: multiformatMessageString needs text`);
  const positive = (v: unknown, where: string) => need(v === undefined || (Number.isInteger(v) && (v as number) >= 1), `${where} must be an integer ≥ 1`);

  if (!isObject(log)) return ['log is not an object'];
  need(log.version === '2.1.0', 'version must be "2.1.0"');
  need(typeof log.$schema === 'string' && /sarif-2\.1\.0/.test(log.$schema), '$schema should name sarif 2.1.0');
  need(Array.isArray(log.runs), 'runs must be an array');
  for (const [r, run] of ((log.runs as unknown[]) ?? []).entries()) {
    if (!isObject(run) || !isObject(run.tool) || !isObject(run.tool.driver)) {
      problems.push(`runs[${r}].tool.driver is required`);
      continue;
    }
    const driver = run.tool.driver;
    need(typeof driver.name === 'string', 'driver.name is required');
    need(driver.informationUri === undefined || typeof driver.informationUri === 'string', 'driver.informationUri must be a string');
    const rules = Array.isArray(driver.rules) ? driver.rules : [];
    for (const [i, rule] of rules.entries()) {
      const where = `rules[${i}]`;
      if (!isObject(rule)) {
        problems.push(`${where} is not an object`);
        continue;
      }
      need(typeof rule.id === 'string', `${where}.id is required`);
      for (const key of ['shortDescription', 'fullDescription', 'help'] as const) if (rule[key] !== undefined) mfString(rule[key], `${where}.${key}`);
      need(['none', 'note', 'warning', 'error'].includes((rule.defaultConfiguration as Json | undefined)?.level as string), `${where}.defaultConfiguration.level`);
      const props = rule.properties as Json | undefined;
      need(isObject(props) && Array.isArray(props.tags) && (props.tags as unknown[]).includes('security'), `${where} tags include "security"`);
      need(isObject(props) && typeof props['security-severity'] === 'string' && Number.isFinite(Number(props['security-severity'])), `${where} security-severity is a numeric string`);
    }
    for (const [i, result] of ((run.results as unknown[]) ?? []).entries()) {
      const where = `results[${i}]`;
      if (!isObject(result)) {
        problems.push(`${where} is not an object`);
        continue;
      }
      message(result.message, where);
      need(['none', 'note', 'warning', 'error'].includes(result.level as string), `${where}.level`);
      const index = result.ruleIndex as number;
      need(Number.isInteger(index) && isObject(rules[index]) && (rules[index] as Json).id === result.ruleId, `${where}.ruleIndex points at its rule`);
      need(isObject(result.partialFingerprints) && Object.values(result.partialFingerprints).every((v) => typeof v === 'string'), `${where}.partialFingerprints are strings`);
      for (const [j, loc] of ((result.locations as unknown[]) ?? []).entries()) {
        const pl = isObject(loc) ? loc.physicalLocation : undefined;
        if (!isObject(pl) || !isObject(pl.artifactLocation) || !isObject(pl.region)) {
          problems.push(`${where}.locations[${j}] needs artifactLocation and region`);
          continue;
        }
        need(typeof pl.artifactLocation.uri === 'string' && !/^[a-z]+:/.test(pl.artifactLocation.uri), `${where} uri is relative`);
        need(pl.artifactLocation.uriBaseId === '%SRCROOT%', `${where} uriBaseId`);
        for (const k of ['startLine', 'startColumn', 'endLine', 'endColumn']) positive(pl.region[k], `${where}.region.${k}`);
        need(pl.region.startLine !== undefined, `${where}.region.startLine is required`);
      }
    }
    const bases = run.originalUriBaseIds as Json | undefined;
    need(isObject(bases) && isObject(bases['%SRCROOT%']) && /^file:\/\/.*\/$/.test((bases['%SRCROOT%'] as Json).uri as string), 'originalUriBaseIds.%SRCROOT% is a directory file URI');
    for (const [i, inv] of ((run.invocations as unknown[]) ?? []).entries()) {
      need(isObject(inv) && typeof inv.executionSuccessful === 'boolean', `invocations[${i}].executionSuccessful is required`);
      for (const n of (isObject(inv) && Array.isArray(inv.toolExecutionNotifications) ? inv.toolExecutionNotifications : [])) message((n as Json).message, `invocations[${i}] notification`);
    }
  }
  return problems;
}

test('the structural checker catches a broken log (so the passing test below means something)', () => {
  assert.ok(sarifProblems({ version: '2.0.0', runs: [{ tool: {} }] }).length >= 2);
});

test('scan --format sarif is a valid SARIF 2.1.0 log with every rule and located results', () => {
  const t = tempTree();
  try {
    t.put('src/my file.js', `ok\nconst s = "${BIDI}";\n`);
    t.put('blob.bin', Buffer.from([0, 0, 1]));
    const r = shippi(t.root, ['scan', '--format', 'sarif']);
    assert.is(r.code, 1, r.stderr);
    const log = JSON.parse(r.stdout);
    assert.equal(sarifProblems(log), []);
    const run = log.runs[0];
    assert.is(run.tool.driver.name, 'shippi');
    assert.equal(run.tool.driver.rules.map((x: { id: string }) => x.id), ALL_RULES.map((x) => x.id));
    const bidi = run.tool.driver.rules.find((x: { id: string }) => x.id === 'unicode.bidi-control');
    assert.ok(bidi.properties.tags.includes('external/cwe/cwe-451'));
    assert.is(bidi.properties['security-severity'], '8.0');
    assert.match(bidi.helpUri, /README\.md#unicodebidi-control$/);
    assert.is(run.results.length, 1);
    const result = run.results[0];
    assert.is(result.level, 'error');
    assert.equal(result.locations[0].physicalLocation, {
      artifactLocation: { uri: 'src/my%20file.js', uriBaseId: '%SRCROOT%' },
      region: { startLine: 2, startColumn: 12, endLine: 2, endColumn: 13 },
    });
    assert.match(result.partialFingerprints['shippi/v1'], /^[0-9a-f]{16}$/);
    const notes = run.invocations[0].toolExecutionNotifications;
    assert.ok(notes.some((n: { message: { text: string } }) => n.message.text === 'skipped: binary'));
  } finally {
    t.cleanup();
  }
});

test.run();
