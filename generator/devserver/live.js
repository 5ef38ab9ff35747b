// Lectern's live-reload client. The dev server injects it into every page it serves (never into
// `lectern build` output) and stamps the script tag with the content hash of the page it came with.
//
// It opens one Server-Sent Events stream, naming its own page and that hash, so the server can tell
// this page, and only this page, whether it changed:
//   reload  this page changed: remember the scroll position and reload
//   swap    the page changed only by renamed files (a new stylesheet, a new search index) or edited
//           stylesheets: update those references in place, restyling the page without a reload
//   fail    the last build failed: show file, line and message over the page (the page stays usable)
//   ok      the build works again: remove that overlay
//   status  a build finished (used by tests and shown in the console)
(function () {
  "use strict";
  var script = document.currentScript;
  var hash = (script && script.getAttribute("data-page")) || "";
  var scrollKey = "lectern-scroll:" + location.pathname;
  var overlayID = "lectern-error-overlay";

  function restoreScroll() {
    var saved = null;
    try {
      saved = sessionStorage.getItem(scrollKey);
      sessionStorage.removeItem(scrollKey);
    } catch (e) {}
    if (saved === null) return;
    var pos = JSON.parse(saved);
    if ("scrollRestoration" in history) history.scrollRestoration = "manual";
    var apply = function () { window.scrollTo(pos.x, pos.y); };
    apply();
    window.addEventListener("load", apply, { once: true });
  }

  function reload() {
    try {
      sessionStorage.setItem(scrollKey, JSON.stringify({ x: window.scrollX, y: window.scrollY }));
    } catch (e) {}
    location.reload();
  }

  // sameFile reports whether a link's URL names the site path p ("/notes/assets/style.1a2b.css").
  function sameFile(href, p) {
    try {
      return new URL(href, location.href).pathname === p;
    } catch (e) {
      return false;
    }
  }

  // swap handles a page that changed only by files renamed (a new stylesheet or search index) or
  // stylesheets edited in place: references are updated without a reload. A renamed script the page
  // already ran cannot be swapped, so then the page reloads.
  function swap(msg) {
    var renames = msg.swap || [];
    var scripts = document.querySelectorAll("script[src]");
    for (var i = 0; i < scripts.length; i++) {
      for (var j = 0; j < renames.length; j++) {
        if (sameFile(scripts[i].src, renames[j].from)) return reload();
      }
    }
    var els = document.querySelectorAll("link[href], meta[content], [src]");
    for (var k = 0; k < els.length; k++) {
      var el = els[k];
      var attr = el.tagName === "META" ? "content" : el.hasAttribute("href") ? "href" : "src";
      var value = el.getAttribute(attr) || "";
      renames.forEach(function (r) {
        if (value.indexOf(r.fromRel) >= 0) {
          value = value.split(r.fromRel).join(r.toRel);
          el.setAttribute(attr, value);
        }
      });
      if (el.tagName === "LINK" && /(^|\s)stylesheet(\s|$)/i.test(el.rel)) {
        (msg.refresh || []).forEach(function (p) {
          if (sameFile(el.href, p)) {
            var u = new URL(el.href);
            u.searchParams.set("lectern", String(Date.now()));
            el.href = u.href;
          }
        });
      }
    }
  }

  function showErrors(msg) {
    hideErrors();
    var box = document.createElement("div");
    box.id = overlayID;
    box.setAttribute("role", "alert");
    box.style.cssText =
      "position:fixed;left:0;right:0;top:0;max-height:60vh;overflow:auto;z-index:2147483647;" +
      "margin:0;padding:1em 1.25em;background:#1e1e1e;color:#f5f5f5;border-bottom:4px solid #e5484d;" +
      "font:14px/1.45 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;box-shadow:0 4px 24px #0008";
    var head = document.createElement("div");
    head.style.cssText = "font-weight:bold;color:#ff8a8a;margin-bottom:.5em";
    head.textContent = "Build failed. The last good version of the site is shown until this is fixed.";
    box.appendChild(head);
    (msg.errors || []).forEach(function (e) {
      var line = document.createElement("pre");
      line.className = "lectern-error";
      line.style.cssText = "margin:.25em 0;white-space:pre-wrap;word-break:break-word;font:inherit";
      var where = e.file || "";
      if (where && e.line) where += ":" + e.line + (e.col ? ":" + e.col : "");
      var file = document.createElement("span");
      file.style.color = "#8ab4ff";
      file.textContent = where ? where + ": " : "";
      line.appendChild(file);
      line.appendChild(document.createTextNode(e.msg || ""));
      box.appendChild(line);
    });
    var close = document.createElement("button");
    close.type = "button";
    close.textContent = "×";
    close.setAttribute("aria-label", "Hide build errors");
    close.style.cssText =
      "position:absolute;top:.5em;right:.75em;background:none;border:0;color:inherit;font-size:20px;cursor:pointer";
    close.addEventListener("click", hideErrors);
    box.appendChild(close);
    (document.body || document.documentElement).appendChild(box);
  }

  function hideErrors() {
    var old = document.getElementById(overlayID);
    if (old) old.remove();
  }

  restoreScroll();
  if (!window.EventSource) return;
  var url = "/_lectern/events?page=" + encodeURIComponent(location.pathname) + "&hash=" + encodeURIComponent(hash);
  var events = new EventSource(url);
  events.addEventListener("reload", reload);
  events.addEventListener("swap", function (e) { swap(JSON.parse(e.data)); });
  events.addEventListener("fail", function (e) { showErrors(JSON.parse(e.data)); });
  events.addEventListener("ok", hideErrors);
  events.addEventListener("status", function (e) {
    var s = JSON.parse(e.data);
    document.documentElement.setAttribute("data-lectern-build", String(s.build));
  });
  window.addEventListener("pagehide", function () { events.close(); });
})();
