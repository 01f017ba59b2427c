import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ALL_RULES } from '../../server/engine/index.js';
import { evaluateCorpus, labelsOf, scores } from '../corpus/evaluate.js';

const result = evaluateCorpus();

test('labels are read from expect: and expect-next-line: comments', () => {
  const labels = labelsOf('a // expect: x.y, x.z\n# expect-next-line: q.r\nb\nc');
  assert.equal([...labels.get(0)!], ['x.y', 'x.z']);
  assert.equal([...labels.get(2)!], ['q.r']);
  assert.is(labels.has(3), false);
});

test('every rule has at least one true case in the corpus', () => {
  const missing = ALL_RULES.map((r) => r.id).filter((id) => !result.rulesWithTrueCases.has(id));
  assert.equal(missing, []);
});

for (const [category, tally] of result.byCategory) {
  test(`category ${category}: precision ≥ 0.95 and recall ≥ 0.90 on the labelled corpus`, () => {
    const { precision, recall } = scores(tally);
    const misses = result.misses.filter((m) => m.ruleId.startsWith(`${category}.`)).map((m) => `${m.kind} ${m.ruleId} at ${m.file}:${m.line}`);
    assert.ok(precision >= 0.95, `precision ${precision.toFixed(3)}\n${misses.join('\n')}`);
    assert.ok(recall >= 0.9, `recall ${recall.toFixed(3)}\n${misses.join('\n')}`);
  });
}

test.run();
