// helpers.js opens an index that the Go builder wrote (see ../../node_test.go) with search.js, the
// same way the browser does: each file is a script calling LecternSearch.load(kind, key, data).
'use strict';
const fs = require('fs');
const path = require('path');
const S = require('../../../../themes/default/static/js/search.js');

// indexDir is where the Go test put the indexes; undefined when node runs on its own.
const indexDir = process.env.LECTERN_SEARCH_INDEX;

// openIndex returns an engine over the index in dir/name, and the list of files it loaded.
function openIndex(name) {
  const dir = path.join(indexDir, name);
  const entry = fs.readFileSync(path.join(dir, 'entry.txt'), 'utf8').trim();
  const loaded = [];
  let eng;
  eng = S.open(entry, (p) => {
    loaded.push(p);
    const code = fs.readFileSync(path.join(dir, p), 'utf8');
    new Function('LecternSearch', code)(eng);
  });
  eng.loaded = loaded;
  return eng;
}

function has(name) { return !!indexDir && fs.existsSync(path.join(indexDir, name, 'entry.txt')); }

const id = (r) => r.url + '#' + r.anchor;

module.exports = { S, indexDir, openIndex, has, id };
