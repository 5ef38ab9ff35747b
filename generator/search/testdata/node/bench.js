// bench.js measures the search client on an index the Go builder wrote:
//   LECTERN_SEARCH_OUT=/tmp/sidx go test ./generator/search -run TestWriteIndexes
//   node generator/search/testdata/node/bench.js /tmp/sidx/da [queries.json]
// It prints, over the relevance queries of that corpus (or all when none match): the bytes (gzip -9)
// and requests a cold query costs (the dropdown's query: 8 results from at most 3 pages), the warm query latency
// (median, p95; wall and CPU time), and the time from having the entry file to a usable index.
'use strict';
const fs = require('fs');
const path = require('path');
const zlib = require('zlib');
const S = require('../../../../themes/default/static/js/search.js');

const dir = process.argv[2];
if (!dir) { console.error('usage: node bench.js INDEX_DIR [relevance.json]'); process.exit(2); }
const corpus = path.basename(dir);
const relPath = process.argv[3] || path.join(__dirname, '..', 'relevance.json');
let queries = JSON.parse(fs.readFileSync(relPath, 'utf8')).queries;
const mine = queries.filter((q) => q.corpus === corpus);
queries = (mine.length ? mine : queries).map((q) => q.q);
const entry = fs.readFileSync(path.join(dir, 'entry.txt'), 'utf8').trim();
const cache = new Map();
function read(p) {
  if (!cache.has(p)) {
    const code = fs.readFileSync(path.join(dir, p), 'utf8');
    cache.set(p, { code, gz: zlib.gzipSync(code, { level: 9 }).length });
  }
  return cache.get(p);
}
function openEngine(log) {
  let eng;
  eng = S.open(entry, (p) => { const f = read(p); if (log) log.push(f.gz); new Function('LecternSearch', f.code)(eng); });
  return eng;
}
const median = (xs) => { const s = xs.slice().sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
const pct = (xs, p) => { const s = xs.slice().sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(s.length * p))]; };
const now = () => Number(process.hrtime.bigint()) / 1e6;

(async () => {
  const client = zlib.gzipSync(fs.readFileSync(path.join(__dirname, '../../../../themes/default/static/js/search.js')), { level: 9 }).length;
  // cold: a fresh engine per query, the same as a first query on a freshly opened page
  const bytes = [], reqs = [];
  for (const q of queries) {
    const log = [];
    const eng = openEngine(log);
    await eng.search(q, { limit: 8, pages: 3 });
    bytes.push(log.reduce((a, b) => a + b, 0));
    reqs.push(log.length);
  }
  // usable: entry file in memory -> first answer (script evaluation, decoding, the query)
  for (const p of cache.keys()) read(p);
  const usable = [], usableCPU = [];
  for (let i = 0; i < 15; i++) {
    const t = now(), c = process.cpuUsage();
    const eng = openEngine();
    await eng.ready;
    usable.push(now() - t);
    const d = process.cpuUsage(c);
    usableCPU.push((d.user + d.system) / 1000);
  }
  // warm: every query again on one engine that has loaded everything it needs
  const eng = openEngine();
  for (const q of queries) await eng.search(q, { limit: 8, pages: 3 });
  const lat = [], cpu = [];
  for (let round = 0; round < 20; round++) {
    for (const q of queries) {
      const t = now(), c = process.cpuUsage();
      await eng.search(q, { limit: 8, pages: 3 });
      lat.push(now() - t);
      const d = process.cpuUsage(c);
      cpu.push((d.user + d.system) / 1000);
    }
  }
  const kb = (b) => (b / 1024).toFixed(1) + ' KB';
  console.log(`${corpus}: ${queries.length} queries`);
  console.log(`client script search.js: ${kb(client)} gzip`);
  console.log(`cold query index bytes: median ${kb(median(bytes))}, max ${kb(Math.max(...bytes))}; with the client script: median ${kb(median(bytes) + client)}`);
  console.log(`cold query requests: median ${median(reqs)}, max ${Math.max(...reqs)}`);
  console.log(`entry file in memory to index ready: median ${median(usable).toFixed(2)} ms wall, ${median(usableCPU).toFixed(2)} ms CPU`);
  console.log(`warm query (wall): median ${median(lat).toFixed(3)} ms, p95 ${pct(lat, 0.95).toFixed(3)} ms`);
  console.log(`warm query (CPU time, not inflated by a busy machine): median ${median(cpu).toFixed(3)} ms, p95 ${pct(cpu, 0.95).toFixed(3)} ms`);
  console.log(`load average while measuring: ${require('os').loadavg().map((x) => x.toFixed(1)).join(' ')} on ${require('os').cpus().length} CPUs`);
})();
