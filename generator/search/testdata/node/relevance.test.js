// Relevance: the share of queries in ../relevance.json whose expected section is in the top 3 must
// reach the threshold, per corpus that was built (the da corpus only when its files are available).
'use strict';
const test = require('node:test');
const assert = require('node:assert');
const fs = require('fs');
const path = require('path');
const { openIndex, has, id } = require('./helpers.js');

const rel = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'relevance.json'), 'utf8'));
const corpora = [...new Set(rel.queries.map((q) => q.corpus))];

for (const corpus of corpora) {
  test(`relevance on ${corpus}`, { skip: !has(corpus) && `no ${corpus} index (built by go test -run TestNode when the corpus exists)` }, async () => {
    const eng = openIndex(corpus);
    const qs = rel.queries.filter((q) => q.corpus === corpus);
    const misses = [];
    for (const q of qs) {
      const res = await eng.search(q.q, { limit: 3 });
      const got = res.results.map(id);
      if (!got.some((g) => q.want.includes(g))) misses.push(`${q.kind} ${JSON.stringify(q.q)}: got ${got.join(', ')}; want ${q.want[0]}`);
    }
    const rate = (qs.length - misses.length) / qs.length;
    console.log(`relevance ${corpus}: ${qs.length - misses.length}/${qs.length} in the top 3`);
    assert.ok(rate >= rel.threshold, `${(rate * 100).toFixed(1)}% < ${rel.threshold * 100}%:\n` + misses.join('\n'));
  });
}
