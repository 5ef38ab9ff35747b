// The JavaScript tokenizer must give exactly what the Go tokenizer gives on the shared fixture.
'use strict';
const test = require('node:test');
const assert = require('node:assert');
const fs = require('fs');
const path = require('path');
const { S } = require('./helpers.js');

const cases = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'tokenize.json'), 'utf8'));

test('tokenizer parity with Go', async (t) => {
  for (const c of cases) {
    await t.test(c.name, () => assert.deepStrictEqual(S.tokenize(c.in), c.out, JSON.stringify(c.in)));
  }
});

test('words reports identifier parts', () => {
  const got = [];
  S.words('enableUpdateCatalog m5.xlarge', (w, parts) => got.push([w, parts]));
  assert.deepStrictEqual(got, [['enableupdatecatalog', ['enable', 'update', 'catalog']], ['m5', null], ['xlarge', null]]);
});

test('damerau counts a transposition as one edit', () => {
  assert.strictEqual(S.damerau('lmabda', 'lambda', 2), 1);
  assert.strictEqual(S.damerau('redshfit', 'redshift', 2), 1);
  assert.strictEqual(S.damerau('abc', 'xyz', 2), 3);
});

test('variants cover plurals and common suffixes', () => {
  assert.ok(S.variants('cluster').includes('clusters'));
  assert.ok(S.variants('machines').includes('machine'));
  assert.ok(S.variants('queries').includes('query'));
  assert.ok(S.variants('policy').includes('policies'));
});

test('excerpt marks matched words and never returns markup', () => {
  const segs = S.excerpt('Use <b>spot</b> instances for task nodes & more', ['spot', 'nodes'], 26);
  assert.deepStrictEqual(segs.filter((s) => s[1]).map((s) => s[0]), ['spot', 'nodes']);
  assert.strictEqual(segs.map((s) => s[0]).join(''), 'Use <b>spot</b> instances for task nodes & more');
});

test('excerpt centres on the densest window of a long text', () => {
  const filler = Array.from({ length: 200 }, (_, i) => 'word' + i).join(' ');
  const segs = S.excerpt(filler + ' kinesis shard split ' + filler, ['kinesis', 'shard'], 26);
  const text = segs.map((s) => s[0]).join('');
  assert.ok(text.startsWith('… '), text);
  assert.ok(text.endsWith(' …'), text);
  assert.deepStrictEqual(segs.filter((s) => s[1]).map((s) => s[0]), ['kinesis', 'shard']);
});
