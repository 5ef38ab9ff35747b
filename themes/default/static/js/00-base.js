/* Lectern default theme: dark-mode toggle, mobile navigation, and links that work from disk. */
(function () {
  "use strict";
  var doc = document.documentElement;

  function currentTheme() {
    var t = doc.getAttribute("data-theme");
    if (t) return t;
    return window.matchMedia && matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light";
  }

  function ready(fn) {
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", fn);
    else fn();
  }

  ready(function () {
    var toggle = document.querySelector(".theme-toggle");
    if (toggle) {
      toggle.setAttribute("aria-pressed", currentTheme() === "dark" ? "true" : "false");
      toggle.addEventListener("click", function () {
        var next = currentTheme() === "dark" ? "light" : "dark";
        doc.setAttribute("data-theme", next);
        toggle.setAttribute("aria-pressed", next === "dark" ? "true" : "false");
        try { localStorage.setItem("lectern-theme", next); } catch (e) { /* private mode: not persisted */ }
      });
    }
    var navToggle = document.querySelector(".nav-toggle");
    if (navToggle) {
      navToggle.addEventListener("click", function () {
        var open = document.body.classList.toggle("nav-open");
        navToggle.setAttribute("aria-expanded", open ? "true" : "false");
      });
    }
    // Opened from disk, a link to "glue/" shows a folder listing: point folder links at their index.html.
    if (location.protocol === "file:") {
      var links = document.querySelectorAll("a[href]");
      for (var i = 0; i < links.length; i++) {
        var href = links[i].getAttribute("href");
        if (/^[a-z][a-z0-9+.-]*:/i.test(href) || href.charAt(0) === "#") continue;
        var m = href.match(/^([^?#]*)(.*)$/);
        if (m[1] === "" ) continue;
        if (/\/$/.test(m[1]) || m[1] === "." || m[1] === "..") {
          links[i].setAttribute("href", m[1].replace(/\/?$/, "/") + "index.html" + m[2]);
        }
      }
    }
  });
})();
