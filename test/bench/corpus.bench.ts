// Precision and recall of the engine on the labelled corpus (test/corpus), per category.
// Targets (issue 2): precision ≥ 0.95 and recall ≥ 0.90 in every category.
import { evaluateCorpus, scores } from '../corpus/evaluate.js';

const e = evaluateCorpus();
console.log(`labelled corpus: ${e.files} files, ${e.rulesWithTrueCases.size} rules with true cases`);
console.log(`${'category'.padEnd(18)} ${'tp'.padStart(5)} ${'fp'.padStart(5)} ${'fn'.padStart(5)} ${'precision'.padStart(10)} ${'recall'.padStart(8)}`);
let tp = 0;
let fp = 0;
let fn = 0;
const below: string[] = [];
for (const [category, t] of [...e.byCategory].sort((a, b) => a[0].localeCompare(b[0]))) {
  const s = scores(t);
  tp += t.tp;
  fp += t.fp;
  fn += t.fn;
  const flag = s.precision < 0.95 || s.recall < 0.9 ? '  < target' : '';
  if (flag) below.push(category);
  console.log(`${category.padEnd(18)} ${String(t.tp).padStart(5)} ${String(t.fp).padStart(5)} ${String(t.fn).padStart(5)} ${s.precision.toFixed(3).padStart(10)} ${s.recall.toFixed(3).padStart(8)}${flag}`);
}
const all = scores({ tp, fp, fn });
console.log(`${'all'.padEnd(18)} ${String(tp).padStart(5)} ${String(fp).padStart(5)} ${String(fn).padStart(5)} ${all.precision.toFixed(3).padStart(10)} ${all.recall.toFixed(3).padStart(8)}`);
console.log(below.length ? `below target (precision 0.95 / recall 0.90): ${below.join(', ')}` : 'every category meets precision ≥ 0.95 and recall ≥ 0.90');
