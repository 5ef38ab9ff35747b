/* Printing: foldable boxes (<details>) print open, the page prints in the light palette, and the cheat
   sheet's Print button. Everything is put back after printing. */
(function () {
  "use strict";
  var doc = document.documentElement;
  var opened = [];
  var theme = null;

  window.addEventListener("beforeprint", function () {
    var all = document.querySelectorAll("main details:not([open])");
    for (var i = 0; i < all.length; i++) {
      all[i].setAttribute("open", "");
      opened.push(all[i]);
    }
    // Dark code colours on white paper are unreadable: print in the light palette.
    theme = doc.getAttribute("data-theme");
    doc.setAttribute("data-theme", "light");
  });

  window.addEventListener("afterprint", function () {
    for (var i = 0; i < opened.length; i++) opened[i].removeAttribute("open");
    opened = [];
    if (theme === null) doc.removeAttribute("data-theme");
    else doc.setAttribute("data-theme", theme);
    theme = null;
  });

  function ready(fn) {
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", fn);
    else fn();
  }

  ready(function () {
    var buttons = document.querySelectorAll("[data-print]");
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].hidden = false;
      buttons[i].addEventListener("click", function () { window.print(); });
    }
    // A link whose text is its own URL needs no URL after it on paper.
    var links = document.querySelectorAll("main a[href^='http']");
    for (var j = 0; j < links.length; j++) {
      var t = links[j].textContent.trim().replace(/\/$/, "");
      var h = links[j].getAttribute("href").replace(/\/$/, "");
      if (t === h || t.replace(/^https?:\/\//, "") === h.replace(/^https?:\/\//, "")) links[j].classList.add("url-is-text");
    }
  });
})();
