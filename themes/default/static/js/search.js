// search.js: Lectern's client-side search. A dependency-free query engine over the index that
// generator/search builds (see docs/search.md for the format), and the header search box, the
// search/?q= page and on-page highlighting. Index files are plain scripts that call
// LecternSearch.load(kind, key, data), so search works from file:// and under any sub-path.
// The tokenizer must stay identical to generator/search/tokenize.go (testdata/tokenize.json checks both).
;(function (root) {
  'use strict';

  var FORMAT = 2;
  var MAX_TOKEN = 32;
  var B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  var B64V = new Int8Array(128).fill(-1);
  for (var bi = 0; bi < 64; bi++) B64V[B64.charCodeAt(bi)] = bi;

  // ---- tokenizer -------------------------------------------------------------------------------

  var MARKS = /\p{M}/gu;
  var WORD = /^[\p{L}\p{N}]$/u;
  var CJK = /^[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]$/u;
  var ASCII = /^[\x00-\x7f]*$/;
  var foldCache = new Map();

  // fold maps every non-ASCII character to NFKD without combining marks, lower-cased; ASCII keeps its
  // case for camelCase splitting.
  function fold(s) {
    if (ASCII.test(s)) return s;
    var out = '';
    for (var ch of s) {
      if (ch.charCodeAt(0) < 128) { out += ch; continue; }
      var f = foldCache.get(ch);
      if (f === undefined) {
        f = ch.normalize('NFKD').replace(MARKS, '').toLowerCase();
        foldCache.set(ch, f);
      }
      out += f;
    }
    return out;
  }

  function isWord(ch) {
    var c = ch.charCodeAt(0);
    if (c < 128) return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
    return WORD.test(ch);
  }
  function isCJK(ch) { return ch.codePointAt(0) >= 0x2e80 && CJK.test(ch); }
  function isUpper(ch) { return ch >= 'A' && ch <= 'Z'; }
  function isLower(ch) { return ch >= 'a' && ch <= 'z'; }
  function isDigit(ch) { return ch >= '0' && ch <= '9'; }
  // lowerCap joins and lower-cases code points (after fold only ASCII can still be upper-case, so
  // toLowerCase changes nothing else) and caps the token length.
  function lowerCap(cps) {
    if (cps.length > MAX_TOKEN) cps = cps.slice(0, MAX_TOKEN);
    return cps.join('').toLowerCase();
  }

  function emitRun(run, emit) {
    var alnum = false;
    for (var k = 0; k < run.length; k++) if (run[k] !== '_') { alnum = true; break; }
    if (!alnum) return;
    var whole = lowerCap(run);
    var parts = [];
    var start = -1;
    for (var i = 0; i < run.length; i++) {
      var r = run[i];
      if (r === '_') {
        if (start >= 0) { parts.push(lowerCap(run.slice(start, i))); start = -1; }
        continue;
      }
      if (start >= 0 && isUpper(r) && i > start) {
        var p = run[i - 1];
        if (isLower(p) || isDigit(p) || (isUpper(p) && i + 2 < run.length && isLower(run[i + 1]) && isLower(run[i + 2]))) {
          parts.push(lowerCap(run.slice(start, i)));
          start = i;
        }
      }
      if (start < 0) start = i;
    }
    if (start >= 0) parts.push(lowerCap(run.slice(start)));
    if (parts.length === 1 && parts[0] === whole) parts = null;
    emit(whole, parts);
  }

  // words calls emit(whole, parts) for every word of text; parts is null unless the word is an
  // identifier that splits.
  function words(text, emit) {
    var cps = Array.from(fold(text));
    var run = [];
    var n = cps.length;
    for (var i = 0; i < n; i++) {
      var ch = cps[i];
      if (isCJK(ch)) {
        if (run.length) { emitRun(run, emit); run = []; }
        emit(ch, null);
      } else if (isWord(ch)) {
        run.push(ch);
      } else if ((ch === "'" || ch === '\u2019') && run.length && i + 1 < n && (cps[i + 1] === 's' || cps[i + 1] === 'S') &&
        (i + 2 === n || !isWord(cps[i + 2]) || isCJK(cps[i + 2]))) {
        i++;
        emitRun(run, emit); run = [];
      } else if (run.length) {
        emitRun(run, emit); run = [];
      }
    }
    if (run.length) emitRun(run, emit);
  }

  // tokenize returns the search terms of text, exactly as the Go builder indexes them.
  function tokenize(text) {
    var out = [];
    words(text, function (w, parts) { out.push(w); if (parts) for (var i = 0; i < parts.length; i++) out.push(parts[i]); });
    return out;
  }

  // ---- index decoding ---------------------------------------------------------------------------

  function vlqAll(s, from, to) {
    var out = [];
    var v = 0, shift = 0;
    for (var i = from || 0, n = to === undefined ? s.length : to; i < n; i++) {
      var d = B64V[s.charCodeAt(i)];
      v += (d & 31) * Math.pow(2, shift);
      if (d & 32) { shift += 5; } else { out.push(v); v = 0; shift = 0; }
    }
    return out;
  }

  // decodeDict turns a term block into its terms, document frequencies and (still encoded) postings.
  function decodeDict(data) {
    var lines = data === '' ? [] : data.split('\n');
    var terms = new Array(lines.length);
    var df = new Int32Array(lines.length);
    var post = new Array(lines.length);
    var map = new Map();
    var prev = '';
    for (var i = 0; i < lines.length; i++) {
      var l = lines[i];
      var p = B64V[l.charCodeAt(0)];
      var j = 1, v = 0, shift = 0, d;
      do { d = B64V[l.charCodeAt(j++)]; v += (d & 31) * Math.pow(2, shift); shift += 5; } while (d & 32);
      var sp = l.indexOf(' ', j);
      var t = prev.slice(0, p) + (sp < 0 ? l.slice(j) : l.slice(j, sp));
      terms[i] = t; df[i] = v; map.set(t, i);
      post[i] = sp < 0 ? '' : l.slice(sp + 1);
      prev = t;
    }
    return { terms: terms, df: df, post: post, map: map };
  }

  function decodePostings(line) {
    var nums = vlqAll(line);
    var n = nums.length >> 1;
    var secs = new Int32Array(n), vals = new Int32Array(n);
    var s = -1;
    for (var i = 0; i < n; i++) { s += nums[2 * i] + 1; secs[i] = s; vals[i] = nums[2 * i + 1]; }
    return { secs: secs, vals: vals };
  }

  // upper bound: index of the last element of sorted arr that is <= x (or -1)
  function lastLE(arr, x, get) {
    var lo = 0, hi = arr.length;
    while (lo < hi) { var mid = (lo + hi) >> 1; if ((get ? get(arr[mid]) : arr[mid]) <= x) lo = mid + 1; else hi = mid; }
    return lo - 1;
  }
  function lowerBound(arr, x) {
    var lo = 0, hi = arr.length;
    while (lo < hi) { var mid = (lo + hi) >> 1; if (arr[mid] < x) lo = mid + 1; else hi = mid; }
    return lo;
  }

  // ---- ranking constants -----------------------------------------------------------------------

  var K1 = 1.2, LEVELS = 15; // as in build.go
  var W_VARIANT = 0.85, W_FUZZY = 0.6, W_FUZZY_PREFIX = 0.4, W_SYN = 0.9, INHERIT = 0.35;
  var MAX_PREFIX = 8, MAX_FUZZY = 5, SYN_RARE = 10, TYPO_BLOCKS = 1;
  var ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

  function variants(w) {
    var v = [];
    if (w.length < 3 || !/^[a-z]+$/.test(w)) return v;
    v.push(w + 's');
    if (/(s|x|z|ch|sh)$/.test(w)) v.push(w + 'es');
    if (/[^aeiou]y$/.test(w)) v.push(w.slice(0, -1) + 'ies');
    if (/ies$/.test(w)) v.push(w.slice(0, -3) + 'y');
    if (/(s|x|z|ch|sh)es$/.test(w)) v.push(w.slice(0, -2));
    if (/[^s]s$/.test(w)) v.push(w.slice(0, -1));
    if (/ing$/.test(w) && w.length > 5) { v.push(w.slice(0, -3)); v.push(w.slice(0, -3) + 'e'); } else v.push(/e$/.test(w) ? w.slice(0, -1) + 'ing' : w + 'ing');
    if (/ed$/.test(w) && w.length > 4) { v.push(w.slice(0, -2)); v.push(w.slice(0, -1)); } else v.push(/e$/.test(w) ? w + 'd' : w + 'ed');
    if (/ers?$/.test(w)) v.push(w.replace(/ers?$/, '')); else v.push(w + 'er');
    return v.filter(function (x, i) { return x !== w && v.indexOf(x) === i; });
  }

  // edits1 lists the strings one Damerau edit away (deletion, transposition, substitution, insertion).
  function edits1(w) {
    var out = [];
    var n = w.length;
    for (var i = 0; i < n; i++) out.push(w.slice(0, i) + w.slice(i + 1));
    for (i = 0; i + 1 < n; i++) if (w[i] !== w[i + 1]) out.push(w.slice(0, i) + w[i + 1] + w[i] + w.slice(i + 2));
    for (i = 0; i < n; i++) for (var a = 0; a < ALPHABET.length; a++) if (ALPHABET[a] !== w[i]) out.push(w.slice(0, i) + ALPHABET[a] + w.slice(i + 1));
    for (i = 0; i <= n; i++) for (a = 0; a < ALPHABET.length; a++) out.push(w.slice(0, i) + ALPHABET[a] + w.slice(i));
    return out;
  }

  // typoForms lists the deletions and adjacent transpositions of w (the edits whose result can sort far
  // from w: a change near the front).
  function typoForms(w) {
    var out = [];
    for (var i = 0; i < w.length; i++) out.push(w.slice(0, i) + w.slice(i + 1));
    for (i = 0; i + 1 < w.length; i++) if (w[i] !== w[i + 1]) out.push(w.slice(0, i) + w[i + 1] + w[i] + w.slice(i + 2));
    return out;
  }

  // damerau is the optimal-string-alignment distance of a and b, or max+1 once it exceeds max.
  function damerau(a, b, max) {
    if (Math.abs(a.length - b.length) > max) return max + 1;
    var prev2 = null, prev = [], cur;
    for (var j = 0; j <= b.length; j++) prev.push(j);
    for (var i = 1; i <= a.length; i++) {
      cur = [i];
      var best = i;
      for (j = 1; j <= b.length; j++) {
        var c = a[i - 1] === b[j - 1] ? 0 : 1;
        var v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + c);
        if (prev2 && i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prev2[j - 2] + 1);
        cur.push(v);
        if (v < best) best = v;
      }
      if (best > max) return max + 1;
      prev2 = prev; prev = cur;
    }
    return prev[b.length];
  }

  // ---- engine -------------------------------------------------------------------------------------

  // open starts loading the index whose entry scripts are entry (paths relative to the site root);
  // loadFile(path) must make the file call engine.load(kind, key, data) (a <script> in the browser).
  function open(entry, loadFile) {
    var store = new Map();
    var engine = { load: load, search: search, ready: null };
    var ix = null; // decoded head

    function slot(id) {
      var s = store.get(id);
      if (!s) {
        s = {};
        s.promise = new Promise(function (res, rej) { s.resolve = res; s.reject = rej; });
        store.set(id, s);
      }
      return s;
    }
    function load(kind, key, data) {
      var s = slot(kind + ':' + key);
      s.data = data; s.done = true;
      s.resolve(data);
    }
    function want(kind, key, path) {
      var id = kind + ':' + key;
      var s = slot(id);
      if (!s.started && !s.done) {
        s.started = true;
        try {
          Promise.resolve(loadFile(path)).catch(function (e) { store.delete(id); s.reject(e); });
        } catch (e) { store.delete(id); s.reject(e); }
      }
      return s.promise;
    }
    function have(kind, key) { var s = store.get(kind + ':' + key); return s && s.done ? s.data : undefined; }

    var entries = typeof entry === 'string' ? entry.split(/\s+/).filter(Boolean) : entry;
    // start loading on a later tick so that loadFile may refer to the returned engine
    var headPromise = Promise.resolve().then(function () {
      return Promise.all(entries.map(function (p) {
      return new Promise(function (res, rej) {
        var kind = /(^|\/)index\.[^/]*$/.test(p) ? 'index' : 'head';
        want(kind, 0, p).then(res, rej);
      });
      }));
    }).then(function (heads) { ix = decodeHead(heads[heads.length - 1]); return engine; });
    engine.ready = headPromise;

    function decodeHead(h) {
      if (!h || h.v !== FORMAT) throw new Error('lectern search: unsupported index format ' + (h && h.v));
      var n = h.n;
      var level = new Uint8Array(n);
      for (var i = 0; i < n; i++) level[i] = h.secs.charCodeAt(i) - 48;
      var counts = vlqAll(h.pages);
      var pageOf = new Int32Array(n), pageFirst = new Int32Array(counts.length + 1);
      var parent = new Int32Array(n), end = new Int32Array(n);
      var s = 0;
      for (var p = 0; p < counts.length; p++) {
        pageFirst[p] = s;
        var stack = [];
        var pe = s + counts[p];
        for (i = s; i < pe; i++) {
          pageOf[i] = p;
          while (stack.length && level[stack[stack.length - 1]] >= level[i]) end[stack.pop()] = i;
          parent[i] = stack.length ? stack[stack.length - 1] : -1;
          stack.push(i);
        }
        while (stack.length) end[stack.pop()] = pe;
        s = pe;
      }
      pageFirst[counts.length] = s;
      var stop = new Set(h.stop.split(' '));
      var syn = new Map();
      var addSyn = function (a, b) {
        a = a.split(' ').filter(function (w) { return !stop.has(w); }).join(' ');
        if (!a || a === b) return;
        if (!syn.has(a)) syn.set(a, []);
        if (syn.get(a).indexOf(b) < 0) syn.get(a).push(b);
      };
      (h.syn || []).forEach(function (g) { for (var k = 1; k < g.length; k++) { addSyn(g[0], g[k]); addSyn(g[k], g[0]); } });
      if (h.inline) {
        h.inline.d.forEach(function (d, k) { load('d', k, d); });
        h.inline.t.forEach(function (d, k) { load('t', k, d); });
      }
      var sum = function (xs) { var t = 0; return xs.map(function (x) { return (t += x); }); };
      return {
        h: h, n: n, level: level, textStart: sum(h.text),
        pageOf: pageOf, pageFirst: pageFirst, parent: parent, end: end,
        stop: stop, syn: syn,
        dictFirst: h.dict,
        shards: [], stopDict: null, post: new Map(), texts: []
      };
    }

    // ---- loading on demand ----
    function shardOf(t) { return Math.max(0, lastLE(ix.dictFirst, t)); }
    function getShard(k) {
      if (ix.shards[k]) return Promise.resolve(ix.shards[k]);
      return want('d', k, chunkPath('d', k)).then(function (data) {
        if (!ix.shards[k]) ix.shards[k] = decodeDict(data);
        return ix.shards[k];
      });
    }
    function getStop() {
      if (ix.stopDict) return Promise.resolve(ix.stopDict);
      return want('s', 0, ix.h.files.s).then(function (data) {
        ix.stopDict = decodeDict(data);
        return ix.stopDict;
      });
    }
    function getText(c) {
      if (ix.texts[c]) return Promise.resolve(ix.texts[c]);
      return want('t', c, chunkPath('t', c)).then(function (data) { ix.texts[c] = data; return data; });
    }
    function textChunkOf(sec) { return Math.max(0, lastLE(ix.textStart, sec)); }
    // chunk i of a kind is named after the hash of its group of g consecutive chunks; the one-file
    // index names none, its chunks are loaded with it
    function chunkPath(kind, i) {
      var f = ix.h.files[kind];
      return f ? 'search/' + kind + i + '.' + f.h[Math.floor(i / f.g)] + '.js' : '';
    }

    // a term reference: {t: term, df, p: its postings line}
    function ref(sh, i) { return { t: sh.terms[i], df: sh.df[i], p: sh.post[i] }; }
    // allowed is the set of blocks the query being answered loaded: lookups see only those, so a
    // block cached by an earlier query never changes an answer
    var allowed = null;
    function usable(k) { return ix.shards[k] && (!allowed || allowed.has(k)) ? ix.shards[k] : null; }
    function lookup(t) {
      var sh = usable(shardOf(t));
      if (!sh) return null;
      var i = sh.map.get(t);
      return i === undefined ? null : ref(sh, i);
    }
    function prefixTerms(p, out) {
      var k = shardOf(p);
      for (; k < ix.dictFirst.length; k++) {
        var sh = usable(k);
        if (!sh) break;
        var i = lowerBound(sh.terms, p);
        for (; i < sh.terms.length; i++) {
          var t = sh.terms[i];
          if (t.lastIndexOf(p, 0) !== 0) return;
          if (t !== p) out.push(ref(sh, i));
        }
      }
    }
    function hasPrefix(p) {
      var sh = usable(shardOf(p));
      if (!sh) return false;
      var i = lowerBound(sh.terms, p);
      return i < sh.terms.length && sh.terms[i].lastIndexOf(p, 0) === 0;
    }
    function postingsOf(r) {
      var key = (r.stop ? 's:' : 'm:') + r.t;
      var got = ix.post.get(key);
      if (got) return got;
      got = decodePostings(r.p);
      ix.post.set(key, got);
      return got;
    }

    // ---- query ----
    // search answers q with {results, terms, suggestion}; opts.prefix (default: q does not end in a
    // space) treats the last word as unfinished; opts.limit caps the results (default 10) and
    // opts.pages the number of pages they come from (the dropdown keeps a cold query to few files).
    function search(q, opts) {
      opts = opts || {};
      return headPromise.then(function () { return run(q, opts); });
    }

    function run(q, opts) {
      var limit = opts.limit || 10;
      var maxPages = opts.pages || Infinity;
      var prefix = opts.prefix === undefined ? !/\s$/.test(q) : !!opts.prefix;
      var raw = [];
      words(q, function (w, parts) { raw.push({ w: w, parts: parts }); });
      if (!raw.length) return Promise.resolve({ results: [], terms: [], suggestion: '' });
      var content = raw.filter(function (x) { return !ix.stop.has(x.w); });
      var stopOnly = content.length === 0;
      var qs = stopOnly ? raw : content;
      var lastIsPrefix = prefix && qs[qs.length - 1] === raw[raw.length - 1];

      // first round: load the dictionary shards every candidate needs
      // what a query loads depends only on the query and the index, never on what is cached, so the
      // same query always gives the same answer: each word's term block (its variants and joins with the
      // next word live there too), one more block for the completions of an unfinished last word, the
      // blocks of an identifier's parts if the identifier itself is unknown, and the blocks of a
      // synonym when it is a single term or the words it stands for are rare
      var need = new Set();
      qs.forEach(function (x) { need.add(shardOf(x.w)); });
      if (lastIsPrefix) {
        var lw = qs[qs.length - 1].w;
        var k0 = shardOf(lw);
        if (k0 + 1 < ix.dictFirst.length && ix.dictFirst[k0 + 1].lastIndexOf(lw, 0) === 0) need.add(k0 + 1);
      }
      var loads = Array.from(need).map(getShard);
      if (stopOnly) loads.push(getStop());
      var more = new Set();
      return Promise.all(loads).then(function () {
        allowed = need;
        try {
          qs.forEach(function (x) {
            if (lookup(x.w)) return;
            if (x.parts) x.parts.forEach(function (p) { more.add(shardOf(p)); });
            // an unknown word may be a typo whose correction sorts into another block: load the
            // blocks of the word with its first two letters swapped or its first letter dropped,
            // and the nearest other block that a swapped or dropped letter leads to; substitutions
            // and insertions are looked for in the blocks loaded anyway
            if (!stopOnly && Array.from(x.w).length >= 4 && !variants(x.w).some(lookup)) {
              var own = shardOf(x.w), ks = new Set();
              more.add(shardOf(x.w[1] + x.w[0] + x.w.slice(2)));
              more.add(shardOf(x.w.slice(1)));
              typoForms(x.w).forEach(function (e) { var k = shardOf(e); if (k !== own && !more.has(k)) ks.add(k); });
              Array.from(ks).sort(function (a, b) { return Math.abs(a - own) - Math.abs(b - own) || a - b; })
                .slice(0, TYPO_BLOCKS).forEach(function (k) { more.add(k); });
            }
          });
          synSpans(qs).forEach(function (sp) {
            var df = 0;
            for (var i = sp.from; i < sp.to; i++) { var r = lookup(qs[i].w); df += r ? r.df : 0; }
            if (sp.alt.length === 1 || df < SYN_RARE) sp.alt.forEach(function (t) { more.add(shardOf(t)); });
          });
        } finally { allowed = null; }
        return Promise.all(Array.from(more).map(getShard));
      }).then(function () {
        var use = new Set(need);
        more.forEach(function (k) { use.add(k); });
        allowed = use;
        try { var pl = plan(qs, lastIsPrefix, stopOnly); pl.suggestion = suggest(qs); return pl; } finally { allowed = null; }
      }).then(function (pl) {
        var ranked = score(pl, maxPages < Infinity ? limit * 4 : limit);
        if (maxPages < Infinity) {
          var seenPages = new Set();
          ranked = ranked.filter(function (r) {
            var p = ix.pageOf[r.sec];
            if (!seenPages.has(p)) { if (seenPages.size >= maxPages) return false; seenPages.add(p); }
            return true;
          }).slice(0, limit);
        }
        var pages = new Set();
        ranked.forEach(function (r) { pages.add(textChunkOf(r.sec)); });
        return Promise.all(Array.from(pages).map(getText)).then(function () {
          return {
            results: ranked.map(function (r) { return describe(r, pl); }),
            terms: pl.highlight,
            suggestion: ranked.length ? '' : pl.suggestion
          };
        });
      });
    }

    // synSpans finds the runs of query words that spell a synonym phrase.
    function synSpans(qs) {
      var out = [];
      for (var i = 0; i < qs.length; i++) {
        for (var L = 1; L <= 4 && i + L <= qs.length; L++) {
          var ph = qs.slice(i, i + L).map(function (x) { return x.w; }).join(' ');
          var alts = ix.syn.get(ph);
          if (alts) alts.forEach(function (a) { out.push({ from: i, to: i + L, alt: a.split(' ') }); });
        }
      }
      return out;
    }

    // plan expands every query word into weighted dictionary terms.
    function plan(qs, lastIsPrefix, stopOnly) {
      // identifiers whose whole form is unknown are searched as their parts
      var ws = [];
      qs.forEach(function (x, i) {
        if (x.parts && !lookup(x.w)) x.parts.forEach(function (p) { ws.push({ w: p, parts: null, last: false }); });
        else ws.push({ w: x.w, parts: null, last: i === qs.length - 1 });
      });
      var refs = [];
      var highlight = new Set();
      var slots = ws.map(function (x) {
        var alts = [];
        var add = function (ref, weight) { if (ref) { alts.push({ ref: ref, weight: weight }); refs.push(ref); highlight.add(ref.t); } };
        var exact = lookup(x.w);
        if (!exact && stopOnly && ix.stopDict) {
          var si = ix.stopDict.map.get(x.w);
          if (si !== undefined) { exact = ref(ix.stopDict, si); exact.stop = true; }
        }
        add(exact, 1);
        var vs = variants(x.w).map(lookup).filter(Boolean);
        vs.forEach(function (r) { add(r, W_VARIANT); });
        var isPrefix = lastIsPrefix && x.last && x.w.length >= 2;
        if (isPrefix) {
          var pre = [];
          prefixTerms(x.w, pre);
          pre.sort(function (a, b) { return b.df - a.df || a.t.length - b.t.length; });
          pre.slice(0, MAX_PREFIX).forEach(function (r) {
            if (!alts.some(function (a) { return a.ref.t === r.t; })) add(r, 0.5 + 0.4 * x.w.length / r.t.length);
          });
        }
        if (!alts.length && Array.from(x.w).length >= 4) {
          var seen = new Set(), fz = [];
          edits1(x.w).forEach(function (e) {
            if (seen.has(e)) return;
            seen.add(e);
            var r = lookup(e);
            if (r) fz.push(r);
          });
          fz.sort(function (a, b) { return b.df - a.df; });
          fz.slice(0, MAX_FUZZY).forEach(function (r) { add(r, W_FUZZY); });
          if (!fz.length && isPrefix) {
            var fp = [];
            seen.forEach(function (e) { if (e.length >= 3 && hasPrefix(e)) prefixTerms(e, fp); });
            fp.sort(function (a, b) { return b.df - a.df; });
            var took = new Set();
            fp.forEach(function (r) { if (took.size < MAX_FUZZY && !took.has(r.t)) { took.add(r.t); add(r, W_FUZZY_PREFIX); } });
          }
        }
        return { w: x.w, alts: alts };
      });
      // groups: synonyms and adjacent words joined into one term (s3 distcp -> s3distcp)
      var groups = [];
      synSpans(ws).forEach(function (sp) {
        var df = 0;
        for (var i = sp.from; i < sp.to; i++) { var r0 = lookup(ws[i].w); df += r0 ? r0.df : 0; }
        if (sp.alt.length > 1 && df >= SYN_RARE) return;
        var rs = sp.alt.map(lookup);
        if (rs.every(Boolean)) { groups.push({ from: sp.from, to: sp.to, refs: rs, weight: W_SYN }); rs.forEach(function (r) { refs.push(r); highlight.add(r.t); }); }
      });
      for (var i = 0; i + 1 < ws.length; i++) {
        var j = lookup(ws[i].w + ws[i + 1].w);
        if (j) { groups.push({ from: i, to: i + 2, refs: [j], weight: 1 }); refs.push(j); highlight.add(j.t); }
      }
      return { slots: slots, groups: groups, refs: refs, highlight: Array.from(highlight) };
    }

    function idf(df) { return Math.log(1 + (ix.n - df + 0.5) / (df + 0.5)); }

    // bm calls fn(section, BM25F score, in heading) for every section containing ref; the builder
    // stored each posting's query-independent part quantised to LEVELS steps of (K1 + 1).
    function bm(ref, fn) {
      var ps = postingsOf(ref);
      var w = idf(ps.secs.length) * (K1 + 1) / LEVELS;
      for (var i = 0; i < ps.secs.length; i++) {
        var v = ps.vals[i];
        fn(ps.secs[i], w * (v >> 1), (v & 1) === 1);
      }
    }

    // buffers reused across queries (zeroed again where touched) so a query allocates little
    function buffers(nw) {
      var b = ix.buf || (ix.buf = { sc: [], hd: [], mark: new Uint8Array(ix.n), total: new Float32Array(ix.n), cov: new Uint8Array(ix.n) });
      while (b.sc.length < nw) { b.sc.push(new Float32Array(ix.n)); b.hd.push(new Uint8Array(ix.n)); }
      return b;
    }

    function score(pl, limit) {
      var nw = pl.slots.length;
      var buf = buffers(nw);
      var sc = buf.sc, hd = buf.hd, mark = buf.mark;
      var touched = [];
      var touch = function (s) { if (!mark[s]) { mark[s] = 1; touched.push(s); } };
      var slotKnown = pl.slots.map(function (x) { return x.alts.length > 0; });
      try {
        return rank(pl, limit, nw, sc, hd, mark, touched, touch, slotKnown, buf);
      } finally {
        if (touched.length * 8 > ix.n) {
          mark.fill(0);
          for (var i = 0; i < nw; i++) { sc[i].fill(0); hd[i].fill(0); }
        } else {
          for (var t = 0; t < touched.length; t++) {
            var s = touched[t];
            mark[s] = 0;
            for (i = 0; i < nw; i++) { sc[i][s] = 0; hd[i][s] = 0; }
          }
        }
      }
    }

    function rank(pl, limit, nw, sc, hd, mark, touched, touch, slotKnown, buf) {
      var heads = []; // per word: the sections matching it in their heading
      for (var i = 0; i < nw; i++) {
        var a = sc[i], h = hd[i], hs = [];
        heads.push(hs);
        pl.slots[i].alts.forEach(function (alt) {
          var ps = postingsOf(alt.ref);
          var w = alt.weight * idf(ps.secs.length) * (K1 + 1) / LEVELS;
          var secs = ps.secs, vals = ps.vals;
          for (var j = 0; j < secs.length; j++) {
            var s = secs[j], v = vals[j], x = w * (v >> 1);
            if (x > a[s]) a[s] = x;
            if ((v & 1) && !h[s]) { h[s] = 1; hs.push(s); }
            if (!mark[s]) { mark[s] = 1; touched.push(s); }
          }
        });
      }
      pl.groups.forEach(function (g) {
        var acc = new Map();
        g.refs.forEach(function (r, k) {
          bm(r, function (s, v, head) {
            var e = acc.get(s);
            if (!e) { if (k > 0) return; e = { n: 0, v: 0, h: true }; acc.set(s, e); }
            if (e.n !== k) return;
            e.n++; e.v += v; e.h = e.h && head;
          });
        });
        acc.forEach(function (e, s) {
          if (e.n !== g.refs.length) return;
          var v = g.weight * e.v / g.refs.length / (g.to - g.from);
          for (var w = g.from; w < g.to; w++) {
            slotKnown[w] = true;
            if (v > sc[w][s]) sc[w][s] = v;
            if (e.h && !hd[w][s]) { hd[w][s] = 1; heads[w].push(s); }
          }
          touch(s);
        });
      });
      // sections inherit a parent heading's match ("Overview" under "AWS Glue" matches glue): one pass
      // in document order over the subtrees of matched headings, each section taking the best of its
      // parent's inherited value and its parent's own heading match
      var inh = buf.inh || (buf.inh = new Float32Array(ix.n));
      for (i = 0; i < nw; i++) {
        var a2 = sc[i], h2 = hd[i];
        var roots = Int32Array.from(heads[i]).sort();
        var covered = 0, ranges = [];
        for (var t = 0; t < roots.length; t++) {
          var r0 = roots[t];
          if (r0 + 1 < covered) continue; // inside a subtree already walked
          var r1 = ix.end[r0];
          ranges.push(r0, r1);
          for (var s = r0 + 1; s < r1; s++) {
            var p = ix.parent[s];
            var v = inh[p];
            if (h2[p] && a2[p] * INHERIT > v) v = a2[p] * INHERIT;
            inh[s] = v;
          }
          covered = r1;
        }
        for (t = 0; t < ranges.length; t += 2) {
          for (s = ranges[t] + 1; s < ranges[t + 1]; s++) {
            if (a2[s] === 0 && inh[s] > 0) { a2[s] = inh[s]; if (!mark[s]) { mark[s] = 1; touched.push(s); } }
            inh[s] = 0;
          }
        }
      }
      var total = buf.total, cov = buf.cov;
      var nt = touched.length;
      for (t = 0; t < nt; t++) { total[touched[t]] = 0; cov[touched[t]] = 0; }
      for (i = 0; i < nw; i++) {
        var col = sc[i];
        for (t = 0; t < nt; t++) {
          s = touched[t];
          var x = col[s];
          if (x > 0) { total[s] += x; cov[s]++; }
        }
      }
      // a heading containing the whole query gains and takes in some of its sub-sections' scores
      var boosted = [];
      var firstKnown = slotKnown.indexOf(true);
      var cands = firstKnown >= 0 ? heads[firstKnown] : [];
      for (t = 0; t < cands.length; t++) {
        s = cands[t];
        var all = true;
        for (i = 0; i < nw && all; i++) if (slotKnown[i] && !hd[i][s]) all = false;
        if (all) boosted.push(s);
      }
      var extra = new Map();
      boosted.forEach(function (s) {
        var add = 0;
        for (var d = s + 1; d < ix.end[s]; d++) if (mark[d] && cov[d] === cov[s]) add += total[d];
        extra.set(s, total[s] * 0.5 + Math.min(add * 0.25, total[s] * 2));
      });
      extra.forEach(function (v, s) { total[s] += v; });
      var need = Math.max(1, slotKnown.filter(Boolean).length);
      var better = function (x, y) {
        var cx = Math.min(cov[x], need), cy = Math.min(cov[y], need);
        return cx !== cy ? cx > cy : total[x] !== total[y] ? total[x] > total[y] : x < y;
      };
      // keep the best `limit` sections in order (limit is small; most sections fail the first test)
      var top = [];
      for (t = 0; t < touched.length; t++) {
        s = touched[t];
        if (top.length === limit && !better(s, top[limit - 1])) continue;
        var k = top.length < limit ? top.length : limit - 1;
        while (k > 0 && better(s, top[k - 1])) { top[k] = top[k - 1]; k--; }
        top[k] = s;
      }
      return top.map(function (s) { return { sec: s, score: total[s], matched: cov[s], of: need }; });
    }

    // describe turns a ranked section into what the UI shows.
    function describe(r, pl) {
      var c = textChunkOf(r.sec);
      var chunk = ix.texts[c];
      var rec = chunk.s[r.sec - ix.textStart[c]];
      var p = ix.pageOf[r.sec], pg = null;
      for (var i = 0; i < chunk.p.length; i++) if (chunk.p[i][0] === p) { pg = chunk.p[i]; break; }
      // the terms this section really contains (an inherited match contributes none)
      var terms = [], seen = new Set();
      pl.refs.forEach(function (ref) {
        if (seen.has(ref.t)) return;
        var secs = postingsOf(ref).secs;
        var k = lastLE(secs, r.sec);
        if (k >= 0 && secs[k] === r.sec) { seen.add(ref.t); terms.push(ref.t); }
      });
      return {
        url: pg[1], anchor: rec[0], page: pg[2], path: rec[3],
        heading: rec[1], score: r.score, matched: r.matched, of: r.of,
        terms: terms.length ? terms : pl.highlight,
        excerpt: excerpt(rec[2], terms, 26)
      };
    }

    // suggest finds, for each word without a match, the nearest known term within two edits.
    function suggest(qs) {
      var changed = false;
      var out = qs.map(function (x) {
        if (lookup(x.w) || x.w.length < 3) return x.w;
        var sh = usable(shardOf(x.w));
        if (!sh) return x.w;
        var best = null, bd = 3, bdf = -1;
        for (var i = 0; i < sh.terms.length; i++) {
          var t = sh.terms[i];
          if (Math.abs(t.length - x.w.length) > 2) continue;
          var d = damerau(x.w, t, 2);
          if (d < bd || (d === bd && sh.df[i] > bdf)) { best = t; bd = d; bdf = sh.df[i]; }
        }
        if (best && bd <= 2) { changed = true; return best; }
        return x.w;
      });
      return changed ? out.join(' ') : '';
    }

    return engine;
  }

  var SPAN = /[\p{L}\p{N}\p{M}_]+(?:['\u2019][sS](?![\p{L}\p{N}]))?/gu;
  var PLAIN = /^[a-z0-9]+$|^[A-Z]?[a-z0-9]+$|^[A-Z0-9]+$/;
  var MAX_EXCERPT_SCAN = 30000; // the excerpt of a longer section comes from its first 30,000 characters

  // hitOf returns the first term of set that the word w yields, or ''.
  function hitOf(w, set) {
    if (PLAIN.test(w)) { w = w.toLowerCase(); return set.has(w) ? w : ''; }
    var toks = tokenize(w);
    for (var i = 0; i < toks.length; i++) if (set.has(toks[i])) return toks[i];
    return '';
  }

  // findHits returns the words of text that yield one of the terms, in order, as [start, end) pairs.
  // It looks for the terms with indexOf and checks the words around the finds, so a long section costs
  // little; text that lower-cases to a different length, or non-ASCII text without a find, is scanned
  // word by word instead.
  function findHits(text, set) {
    var out = [];
    var lower = text.toLowerCase();
    var m;
    if (lower.length === text.length) {
      set.forEach(function (t) {
        var i = 0, n = 0;
        while (n < 12 && (i = lower.indexOf(t, i)) >= 0) {
          var st = i;
          while (st > 0 && isWordUnit(text.charCodeAt(st - 1))) st--;
          SPAN.lastIndex = st;
          m = SPAN.exec(text);
          if (m && m.index === st && hitOf(m[0], set)) { out.push([st, st + m[0].length]); n++; i = st + m[0].length; } else i += t.length;
        }
      });
    }
    if (!out.length && (lower.length !== text.length || !ASCII.test(text))) {
      SPAN.lastIndex = 0;
      while ((m = SPAN.exec(text)) && out.length < 200) if (hitOf(m[0], set)) out.push([m.index, m.index + m[0].length]);
    }
    out.sort(function (x, y) { return x[0] - y[0]; });
    return out.filter(function (h, k) { return k === 0 || h[0] !== out[k - 1][0]; });
  }
  function isWordUnit(c) { return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c >= 128; }

  // excerpt picks the stretch of about size words with the most distinct matched words and returns it
  // as [text, marked] segments (the UI turns them into text nodes and <mark> elements).
  function excerpt(text, terms, size) {
    if (!text) return [];
    if (text.length > MAX_EXCERPT_SCAN) text = text.slice(0, MAX_EXCERPT_SCAN);
    var set = new Set(terms);
    var hits = findHits(text, set);
    var width = size * 7; // characters, about size words
    var from = 0;
    if (hits.length) {
      // slide a window over the hits, counting distinct words
      var words = hits.map(function (x) { return text.slice(x[0], x[1]).toLowerCase(); });
      var counts = new Map(), distinct = 0, best = 0, bestScore = -1, e = -1;
      var enter = function (k) { var c = counts.get(words[k]) || 0; if (!c) distinct++; counts.set(words[k], c + 1); };
      for (var h = 0; h < hits.length; h++) {
        if (e < h) { e = h; enter(h); }
        while (e + 1 < hits.length && hits[e + 1][1] - hits[h][0] <= width) enter(++e);
        var sc = distinct * 100 + (e - h + 1);
        if (sc > bestScore) { bestScore = sc; best = h; }
        var c = counts.get(words[h]);
        if (c === 1) { counts.delete(words[h]); distinct--; } else counts.set(words[h], c - 1);
      }
      from = Math.max(0, hits[best][0] - 30);
    }
    // snap to word boundaries
    if (from > 0) {
      while (from < text.length && isWordUnit(text.charCodeAt(from - 1))) from++;
      SPAN.lastIndex = from;
      var first = SPAN.exec(text);
      from = first ? first.index : from;
    }
    var to = Math.min(text.length, from + width);
    SPAN.lastIndex = to;
    var last = to < text.length ? SPAN.exec(text) : null;
    if (last && last.index === to) to = last.index + last[0].length;
    var out = [];
    if (from > 0) out.push(['… ', false]);
    var pos = from;
    for (var k = 0; k < hits.length; k++) {
      var a = hits[k][0], b = hits[k][1];
      if (a < from || b > to) continue;
      if (a > pos) out.push([text.slice(pos, a), false]);
      out.push([text.slice(a, b), true]);
      pos = b;
    }
    if (to > pos) out.push([text.slice(pos, to), false]);
    if (to < text.length) out.push([' …', false]);
    return out;
  }

  var api = {
    tokenize: tokenize,
    words: words,
    open: open,
    excerpt: excerpt,
    variants: variants,
    damerau: damerau,
    active: null,
    // load is what every index file calls.
    load: function (kind, key, data) { if (api.active) api.active.load(kind, key, data); }
  };

  // ---- browser UI ---------------------------------------------------------------------------------

  function browser() {
    var doc = document;
    var html = doc.documentElement;
    var rootPath = html.getAttribute('data-root') || '';
    if (rootPath === './') rootPath = '';
    var meta = doc.querySelector('meta[name="lectern-search"]');
    var fileProto = location.protocol === 'file:';
    var engine = null;

    function getEngine() {
      if (!engine && meta && meta.content.trim()) {
        engine = open(meta.content.trim(), function (path) {
          return new Promise(function (res, rej) {
            var s = doc.createElement('script');
            s.src = rootPath + path;
            s.async = true;
            s.onload = function () { res(); };
            s.onerror = function () { rej(new Error('lectern search: could not load ' + path)); };
            doc.head.appendChild(s);
          });
        });
        api.active = engine;
      }
      return engine;
    }

    function pageHref(url) {
      var u = rootPath + url;
      if (fileProto && (u === '' || /\/$/.test(u))) u += 'index.html';
      return u || './';
    }
    function resultHref(r, terms) {
      var h = pageHref(r.url);
      if (terms && terms.length) h += '?highlight=' + encodeURIComponent(terms.slice(0, 16).join(' '));
      if (r.anchor) h += '#' + encodeURIComponent(r.anchor);
      return h;
    }
    function searchPageHref(q) { return pageHref('search/') + '?q=' + encodeURIComponent(q); }

    function el(tag, cls, text) {
      var e = doc.createElement(tag);
      if (cls) e.className = cls;
      if (text) e.textContent = text;
      return e;
    }
    function excerptNode(segs) {
      var p = el('span', 'lectern-search__excerpt');
      segs.forEach(function (s) { p.appendChild(s[1] ? el('mark', '', s[0]) : doc.createTextNode(s[0])); });
      return p;
    }
    // groupByPage keeps the rank order of pages (by their best section) and of sections within a page.
    function groupByPage(results) {
      var groups = [], byUrl = new Map();
      results.forEach(function (r) {
        var g = byUrl.get(r.url);
        if (!g) { g = { url: r.url, page: r.page, items: [] }; byUrl.set(r.url, g); groups.push(g); }
        g.items.push(r);
      });
      return groups;
    }
    function crumbs(r) {
      var parts = [r.page].concat(r.path);
      if (r.heading && r.heading !== r.page) parts.push(r.heading);
      return parts.join(' › ');
    }

    // ---- header combobox ----
    var uid = 0;
    function setupBox(form) {
      var input = form.querySelector('input[role="combobox"]');
      var popup = form.querySelector('.lectern-search__popup');
      var list = form.querySelector('[role="listbox"]');
      var status = form.querySelector('.lectern-search__status');
      if (!input || !popup || !list) return;
      var prefix = 'lectern-opt-' + (uid++) + '-';
      var options = [], active = -1, seq = 0;
      // the "no results" message and the link to all results sit outside the listbox
      var msg = el('div', 'lectern-search__empty');
      var all = el('a', 'lectern-search__all');
      msg.hidden = all.hidden = true;
      popup.appendChild(msg);
      popup.appendChild(all);
      all.addEventListener('mousedown', function (e) { e.preventDefault(); });

      function close() {
        popup.hidden = true;
        input.setAttribute('aria-expanded', 'false');
        input.removeAttribute('aria-activedescendant');
        active = -1;
      }
      function openPopup() { popup.hidden = false; input.setAttribute('aria-expanded', 'true'); }
      function setActive(i) {
        if (active >= 0 && options[active]) options[active].setAttribute('aria-selected', 'false');
        active = i;
        if (i >= 0 && options[i]) {
          options[i].setAttribute('aria-selected', 'true');
          input.setAttribute('aria-activedescendant', options[i].id);
          if (options[i].scrollIntoView) options[i].scrollIntoView({ block: 'nearest' });
        } else input.removeAttribute('aria-activedescendant');
      }
      function say(msg) { if (status) status.textContent = msg; }
      function render(q, res) {
        list.textContent = '';
        msg.textContent = '';
        options = []; active = -1;
        input.removeAttribute('aria-activedescendant');
        msg.hidden = res.results.length > 0;
        all.hidden = !res.results.length;
        if (!res.results.length) {
          msg.appendChild(doc.createTextNode('No results for “' + q.trim() + '”.'));
          if (res.suggestion) {
            msg.appendChild(doc.createTextNode(' Did you mean '));
            var b = el('a', 'lectern-search__suggest', res.suggestion);
            b.href = searchPageHref(res.suggestion);
            b.addEventListener('mousedown', function (e) { e.preventDefault(); });
            b.addEventListener('click', function (e) { e.preventDefault(); input.value = res.suggestion; update(); input.focus(); });
            msg.appendChild(b);
            msg.appendChild(doc.createTextNode('?'));
          }
          say(msg.textContent);
          openPopup();
          return;
        }
        groupByPage(res.results).forEach(function (g, gi) {
          var grp = el('div', 'lectern-search__group');
          grp.setAttribute('role', 'group');
          var gl = el('div', 'lectern-search__page', g.page || g.url || 'Home');
          gl.id = prefix + 'g' + gi;
          grp.setAttribute('aria-labelledby', gl.id);
          grp.appendChild(gl);
          g.items.forEach(function (r) {
            var o = el('a', 'lectern-search__option');
            o.id = prefix + options.length;
            o.setAttribute('role', 'option');
            o.setAttribute('aria-selected', 'false');
            o.tabIndex = -1;
            o.href = resultHref(r, r.terms);
            o.appendChild(el('span', 'lectern-search__crumbs', crumbs(r)));
            o.appendChild(excerptNode(r.excerpt));
            o.addEventListener('mousedown', function (e) { e.preventDefault(); });
            grp.appendChild(o);
            options.push(o);
          });
          list.appendChild(grp);
        });
        all.textContent = 'All results for “' + q.trim() + '”';
        all.href = searchPageHref(q.trim());
        say(options.length + ' results, use the arrow keys to choose');
        openPopup();
      }
      function update() {
        var q = input.value;
        var my = ++seq;
        if (!q.trim()) { close(); list.textContent = ''; msg.hidden = all.hidden = true; say(''); return; }
        var eng = getEngine();
        if (!eng) return;
        eng.search(q, { limit: 8, pages: 3 }).then(function (res) { if (my === seq) render(q, res); }, function (err) {
          if (my !== seq) return;
          list.textContent = '';
          msg.textContent = 'Search is unavailable: ' + err.message;
          msg.hidden = false;
          all.hidden = true;
          openPopup();
        });
      }
      input.addEventListener('input', update);
      input.addEventListener('focus', function () { getEngine(); if (input.value.trim() && (list.childNodes.length || !msg.hidden)) openPopup(); });
      input.addEventListener('blur', function () { setTimeout(close, 150); });
      input.addEventListener('keydown', function (e) {
        if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
          if (popup.hidden) { if (input.value.trim()) { openPopup(); update(); } return; }
          e.preventDefault();
          if (!options.length) return;
          var d = e.key === 'ArrowDown' ? 1 : -1;
          setActive(active < 0 ? (d > 0 ? 0 : options.length - 1) : (active + d + options.length) % options.length);
        } else if (e.key === 'Enter') {
          if (!popup.hidden && active >= 0 && options[active]) { e.preventDefault(); location.href = options[active].href; }
        } else if (e.key === 'Escape') {
          if (!popup.hidden) { e.preventDefault(); close(); } else if (input.value) { e.preventDefault(); input.value = ''; update(); } else input.blur();
        } else if (e.key === 'Home' || e.key === 'End') {
          setActive(-1);
        }
      });
      form.addEventListener('submit', function (e) {
        e.preventDefault();
        if (active >= 0 && options[active]) location.href = options[active].href;
        else if (input.value.trim()) location.href = searchPageHref(input.value.trim());
      });
      list.addEventListener('click', function (e) {
        var o = e.target.closest && e.target.closest('[role="option"]');
        if (o) { close(); }
      });
      return input;
    }

    // ---- full results page ----
    function setupPage(pageEl) {
      var form = pageEl.querySelector('form');
      var input = pageEl.querySelector('input[type="search"]');
      var status = pageEl.querySelector('.lectern-search-page__status');
      var out = pageEl.querySelector('.lectern-search-page__results');
      var q = new URLSearchParams(location.search).get('q') || '';
      if (input) input.value = q;
      function show(query) {
        out.textContent = '';
        if (!query.trim()) { status.textContent = 'Type a query to search the notes.'; return; }
        var eng = getEngine();
        if (!eng) { status.textContent = 'Search is not available on this site.'; return; }
        status.textContent = 'Searching…';
        eng.search(query, { limit: 50, prefix: true }).then(function (res) {
          if (!res.results.length) {
            status.textContent = 'No results for “' + query + '”.';
            if (res.suggestion) {
              status.appendChild(doc.createTextNode(' Did you mean '));
              var a = el('a', 'lectern-search__suggest', res.suggestion);
              a.href = searchPageHref(res.suggestion);
              status.appendChild(a);
              status.appendChild(doc.createTextNode('?'));
            }
            return;
          }
          status.textContent = res.results.length + (res.results.length === 50 ? '+' : '') + ' results for “' + query + '”';
          groupByPage(res.results).forEach(function (g) {
            var sec = el('section', 'lectern-search-page__group');
            var h = el('h2', 'lectern-search-page__page');
            var ha = el('a', '', g.page || g.url || 'Home');
            ha.href = pageHref(g.url);
            h.appendChild(ha);
            sec.appendChild(h);
            var ol = el('ol', 'lectern-search-page__list');
            g.items.forEach(function (r) {
              var li = el('li', 'lectern-search-page__item');
              var a = el('a', 'lectern-search-page__link', crumbs(r));
              a.href = resultHref(r, r.terms);
              li.appendChild(a);
              var p = el('p', 'lectern-search-page__excerpt');
              p.appendChild(excerptNode(r.excerpt));
              li.appendChild(p);
              ol.appendChild(li);
            });
            sec.appendChild(ol);
            out.appendChild(sec);
          });
        }, function (err) { status.textContent = 'Search is unavailable: ' + err.message; });
      }
      if (form) form.addEventListener('submit', function (e) {
        e.preventDefault();
        var v = input.value.trim();
        history.replaceState(null, '', '?q=' + encodeURIComponent(v));
        show(v);
      });
      show(q);
    }

    // ---- highlight the words of the followed result on the target page ----
    function highlightPage() {
      var raw = new URLSearchParams(location.search).get('highlight');
      if (!raw) return;
      var set = new Set(tokenize(raw));
      if (!set.size) return;
      var scope = doc.querySelector('main') || doc.body;
      var walker = doc.createTreeWalker(scope, NodeFilter.SHOW_TEXT, {
        acceptNode: function (n) {
          var p = n.parentNode;
          if (!p || /^(SCRIPT|STYLE|TEXTAREA|INPUT|MARK|NOSCRIPT)$/.test(p.nodeName)) return NodeFilter.FILTER_REJECT;
          if (p.closest && p.closest('form[role="search"]')) return NodeFilter.FILTER_REJECT;
          return NodeFilter.FILTER_ACCEPT;
        }
      });
      var nodes = [];
      while (walker.nextNode()) nodes.push(walker.currentNode);
      var count = 0;
      nodes.forEach(function (node) {
        var text = node.nodeValue, m, pos = 0, frag = null;
        SPAN.lastIndex = 0;
        while ((m = SPAN.exec(text))) {
          if (!hitOf(m[0], set)) continue;
          frag = frag || doc.createDocumentFragment();
          if (m.index > pos) frag.appendChild(doc.createTextNode(text.slice(pos, m.index)));
          frag.appendChild(el('mark', 'lectern-hl', m[0]));
          pos = m.index + m[0].length;
          count++;
        }
        if (frag) {
          if (pos < text.length) frag.appendChild(doc.createTextNode(text.slice(pos)));
          node.parentNode.replaceChild(frag, node);
        }
      });
      if (count) html.setAttribute('data-search-highlight', String(count));
    }

    function clearHighlights() {
      var marks = doc.querySelectorAll('mark.lectern-hl');
      for (var i = 0; i < marks.length; i++) marks[i].replaceWith(doc.createTextNode(marks[i].textContent));
      html.removeAttribute('data-search-highlight');
    }

    function init() {
      var inputs = [];
      var forms = doc.querySelectorAll('form.lectern-search');
      for (var i = 0; i < forms.length; i++) { var inp = setupBox(forms[i]); if (inp) inputs.push(inp); }
      var pg = doc.getElementById('lectern-search-page');
      if (pg) setupPage(pg);
      highlightPage();
      doc.addEventListener('keydown', function (e) {
        var t = e.target;
        var typing = t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.nodeName));
        var main = inputs[0];
        if (!main) return;
        if ((e.key === 'k' || e.key === 'K') && (e.ctrlKey || e.metaKey) && !e.altKey) {
          e.preventDefault(); main.focus(); main.select();
        } else if (e.key === '/' && !typing && !e.ctrlKey && !e.metaKey && !e.altKey) {
          e.preventDefault(); main.focus(); main.select();
        } else if (e.key === 'Escape' && !typing && html.hasAttribute('data-search-highlight')) {
          clearHighlights();
        }
      });
    }
    if (doc.readyState === 'loading') doc.addEventListener('DOMContentLoaded', init); else init();
  }

  if (typeof module === 'object' && module.exports) module.exports = api;
  else {
    root.LecternSearch = api;
    if (typeof document !== 'undefined' && typeof location !== 'undefined') browser();
  }
})(this);
