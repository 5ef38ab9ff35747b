// The query engine against indexes the Go builder wrote from fixtureDocs (build_test.go) and the
// sample notes, in both the one-file and the split format.
'use strict';
const test = require('node:test');
const assert = require('node:assert');
const { openIndex, has, id } = require('./helpers.js');

const skip = !has('fixture-single') && 'run through `go test ./generator/search -run TestNode` (it builds the indexes)';

for (const name of ['fixture-single', 'fixture-split']) {
  test(name, { skip }, async (t) => {
    const eng = openIndex(name);
    const top = async (q, opts) => (await eng.search(q, opts)).results.map(id);
    const cases = [
      ['exact word', 'hdfs', 'emr/#architecture'],
      ['acronym to the page that defines it', 'emr', 'emr/#'],
      ['long form finds the acronym', 'hadoop distributed file system', 'emr/#architecture'],
      ['acronym finds the long form', 'dpu', 'glue/#dpus'],
      ['long form to acronym', 'data processing units', 'glue/#dpus'],
      ['plural variant', 'bookmark', 'glue/#job-bookmarks'],
      ['typo (one edit)', 'bokmarks', 'glue/#job-bookmarks'],
      ['typo (transposition)', 'bookmakrs', 'glue/#job-bookmarks'],
      ['prefix as you type', 'bookm', 'glue/#job-bookmarks'],
      ['identifier', 'enableUpdateCatalog', 'glue/#job-bookmarks'],
      ['identifier parts', 'enable update catalog', 'glue/#job-bookmarks'],
      ['snake_case', 'job_bookmark_option', 'glue/#job-bookmarks'],
      ['adjacent words joined', 's3 distcp', 'emr/#s3distcp'],
      ['dotted identifier', 'm5.xlarge', 'emr/#overview'],
      ['parent heading inherited', 'architecture spot', 'emr/#overview'],
      ['page title inherited', 'elastic mapreduce spot instances', 'emr/#overview'],
      ['emphasis text', 'transformation_ctx', 'glue/#job-bookmarks'],
      ['diacritics folded', 'cafe', 'glue/#dpus'],
      ['diacritics in the query', 'naïve résumé', 'glue/#dpus'],
      ['CJK', '数据', 'glue/#dpus'],
      ['possessive', "glue's crawler", 'glue/#dpus'],
      ['soft AND keeps an unknown word from emptying the answer', 'bookmarks zzzqqq', 'glue/#job-bookmarks'],
      ['stopwords alone still answer', 'the things you will', '#'],
      ['synonym from the options', 'elastic mapreduce', 'emr/#'],
    ];
    for (const [what, q, want] of cases) {
      await t.test(`${what}: ${q}`, async () => {
        const got = await top(q, { limit: 3 });
        assert.ok(got.includes(want), `${q}: got ${got.join(', ')}, want ${want} in the top 3`);
      });
    }
    await t.test('result shape', async () => {
      const res = await eng.search('spot instances', { limit: 5 });
      const r = res.results[0];
      assert.strictEqual(id(r), 'emr/#overview');
      assert.strictEqual(r.page, 'Elastic MapReduce (EMR)');
      assert.deepStrictEqual(r.path, ['Architecture']);
      assert.strictEqual(r.heading, 'Overview');
      assert.ok(r.excerpt.some((s) => s[1] && /spot/i.test(s[0])), JSON.stringify(r.excerpt));
      assert.ok(res.terms.includes('spot'));
    });
    await t.test('no results suggests the nearest term', async () => {
      const res = await eng.search('boakmarx', { limit: 5 });
      assert.deepStrictEqual(res.results, []);
      assert.strictEqual(res.suggestion, 'bookmark');
    });
    await t.test('empty query', async () => {
      const res = await eng.search('   ');
      assert.deepStrictEqual(res.results, []);
    });
    await t.test('pages option caps the pages results come from', async () => {
      const res = await eng.search('nodes data', { limit: 8, pages: 1 });
      assert.strictEqual(new Set(res.results.map((r) => r.url)).size, 1);
    });
    await t.test('a finished word is not completed', async () => {
      const open = await eng.search('task', { limit: 10 });
      const closed = await eng.search('task ', { limit: 10 });
      assert.ok(open.terms.length >= closed.terms.length);
      assert.ok(!closed.terms.some((t) => t !== 'task' && t.startsWith('task') && !['tasks'].includes(t)), closed.terms.join());
    });
  });
}

test('split and one-file indexes answer alike', { skip }, async () => {
  const a = openIndex('seed');
  const b = openIndex('seed-split');
  for (const q of ['lambda kinesis', 'redshfit', 'glue stud', 'EMR', 'the', 'enableUpdateCatalog', 'hadop', 'zzzq', 'almbda', 'xkinesis', 'kinseis', 'redhsift', 'athean']) {
    const ra = await a.search(q, { limit: 8 });
    const rb = await b.search(q, { limit: 8 });
    assert.deepStrictEqual(rb.results.map(id), ra.results.map(id), q);
    assert.deepStrictEqual(rb.results.map((r) => r.excerpt), ra.results.map((r) => r.excerpt), q);
    assert.strictEqual(rb.suggestion, ra.suggestion, q);
  }
  assert.ok(b.loaded.length > 3, 'the split seed index should have loaded several files: ' + b.loaded.join(' '));
});

test('one-file index: the first query loads only the entry file', { skip }, async () => {
  const eng = openIndex('seed');
  await eng.search('lambda', { limit: 8 });
  assert.strictEqual(eng.loaded.length, 1, eng.loaded.join(' '));
  await eng.search('the', { limit: 8 });
  assert.strictEqual(eng.loaded.length, 2, 'a stopword query loads the stopword file: ' + eng.loaded.join(' '));
});

test('a missing index file rejects the query instead of hanging', { skip }, async () => {
  const S = require('../../../../themes/default/static/js/search.js');
  const eng = S.open('search/index.missing.js', () => Promise.reject(new Error('404')));
  await assert.rejects(eng.search('x'), /404/);
});

test('an answer does not depend on what earlier queries loaded', { skip }, async () => {
  const warm = openIndex('seed-split');
  const qs = ['lambda', 'kinesis batch', 'almbda', 'redshfit copy', 'glue stud', 'hbsae', 'EMR', 'elastic mapreduce', 'the'];
  for (const q of qs) await warm.search(q, { limit: 8 });
  for (const q of qs.slice().reverse()) {
    const cold = openIndex('seed-split');
    const a = await cold.search(q, { limit: 8 });
    const b = await warm.search(q, { limit: 8 });
    assert.deepStrictEqual(b.results.map(id), a.results.map(id), q);
    assert.deepStrictEqual(b.terms, a.terms, q);
  }
});
