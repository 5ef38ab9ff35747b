/* Service cards: hovering or focusing a service link (a.service-link, written by the cross-link stage)
   shows a small card with the service's name, summary, official docs link and a link to its page.
   Without JavaScript the link's title attribute shows the summary. The card is inserted right after the
   link, so Tab moves from the link into the card's links; Escape closes it. All text is set with DOM
   text nodes, never innerHTML. */
(function () {
  "use strict";
  var card = null;      // the one card element, reused
  var owner = null;     // the link the card belongs to
  var hideTimer = 0;
  var showTimer = 0;
  var uid = 0;
  var returning = null; // the link focus goes back to after Escape: its focus must not reopen the card

  function root() {
    return document.documentElement.getAttribute("data-root") || "";
  }

  // The summary moves from title to data-summary on first use, so the browser's own tooltip does not
  // show on top of the card.
  function summaryOf(link) {
    var s = link.getAttribute("data-summary");
    if (s === null) {
      s = link.getAttribute("title") || "";
      link.setAttribute("data-summary", s);
      link.removeAttribute("title");
    }
    return s;
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text) e.appendChild(document.createTextNode(text));
    return e;
  }

  function build(link) {
    var slug = link.getAttribute("data-service") || "";
    var name = link.getAttribute("data-name") || link.textContent;
    var docs = link.getAttribute("data-docs");
    var c = el("span", "service-card");
    c.id = "service-card-" + (++uid);
    c.setAttribute("role", "group");
    c.setAttribute("aria-label", name);
    c.appendChild(el("strong", "service-card-name", name));
    var summary = summaryOf(link);
    if (summary) {
      var p = el("span", "service-card-summary", summary);
      p.id = c.id + "-summary";
      c.appendChild(p);
    }
    var links = el("span", "service-card-links");
    if (docs && /^https?:\/\//i.test(docs)) {
      var d = el("a", "service-card-docs", "Official docs");
      d.href = docs;
      d.rel = "noopener external";
      links.appendChild(d);
    }
    if (slug) {
      var page = el("a", "service-card-page", "All mentions");
      page.href = root() + "services/" + encodeURIComponent(slug) + "/";
      links.appendChild(page);
    }
    c.appendChild(links);
    c.addEventListener("mouseenter", cancelHide);
    c.addEventListener("mouseleave", scheduleHide);
    c.addEventListener("focusout", onFocusOut);
    c.addEventListener("keydown", onKey);
    return c;
  }

  function place(link, c) {
    var parent = c.offsetParent || document.body;
    var pr = parent.getBoundingClientRect();
    var lr = link.getClientRects()[0] || link.getBoundingClientRect();
    var width = c.offsetWidth;
    var left = lr.left - pr.left + parent.scrollLeft;
    var maxLeft = document.documentElement.clientWidth - pr.left - width - 8;
    if (left > maxLeft) left = Math.max(8 - pr.left, maxLeft);
    var top = lr.bottom - pr.top + parent.scrollTop + 4;
    var below = window.innerHeight - lr.bottom;
    if (below < c.offsetHeight + 12 && lr.top > c.offsetHeight + 12) {
      top = lr.top - pr.top + parent.scrollTop - c.offsetHeight - 4;
    }
    c.style.left = Math.round(left) + "px";
    c.style.top = Math.round(top) + "px";
  }

  function show(link) {
    cancelHide();
    if (owner === link && card) return;
    hide();
    owner = link;
    card = build(link);
    link.insertAdjacentElement("afterend", card);
    var summary = card.querySelector(".service-card-summary");
    if (summary) link.setAttribute("aria-describedby", summary.id);
    link.setAttribute("aria-expanded", "true");
    place(link, card);
  }

  function hide() {
    cancelHide();
    if (card && card.parentNode) card.parentNode.removeChild(card);
    if (owner) {
      owner.removeAttribute("aria-describedby");
      owner.removeAttribute("aria-expanded");
    }
    card = null;
    owner = null;
  }

  function scheduleHide() {
    cancelHide();
    hideTimer = window.setTimeout(hide, 250);
  }

  function cancelHide() {
    if (hideTimer) window.clearTimeout(hideTimer);
    hideTimer = 0;
  }

  function within(node) {
    return node && ((owner && owner.contains(node)) || (card && card.contains(node)));
  }

  function onFocusOut(e) {
    if (!within(e.relatedTarget)) scheduleHide();
  }

  function onKey(e) {
    if (e.key === "Escape" || e.key === "Esc") {
      var back = owner;
      hide();
      if (back) {
        returning = back;
        back.focus();
        returning = null;
      }
      e.preventDefault();
    }
  }

  function linkOf(target) {
    return target && target.closest ? target.closest("a.service-link") : null;
  }

  function ready(fn) {
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", fn);
    else fn();
  }

  ready(function () {
    document.addEventListener("mouseover", function (e) {
      var link = linkOf(e.target);
      if (!link) return;
      cancelHide();
      if (showTimer) window.clearTimeout(showTimer);
      showTimer = window.setTimeout(function () { show(link); }, 120);
    });
    document.addEventListener("mouseout", function (e) {
      var link = linkOf(e.target);
      if (!link || link.contains(e.relatedTarget)) return;
      if (showTimer) window.clearTimeout(showTimer);
      showTimer = 0;
      if (owner === link) scheduleHide();
    });
    document.addEventListener("focusin", function (e) {
      var link = linkOf(e.target);
      if (link && link !== returning) show(link);
    });
    document.addEventListener("focusout", function (e) {
      if (linkOf(e.target) === owner && !within(e.relatedTarget)) scheduleHide();
    });
    document.addEventListener("keydown", function (e) {
      if ((e.key === "Escape" || e.key === "Esc") && card && linkOf(e.target) === owner) {
        hide();
        e.preventDefault();
      }
    });
    window.addEventListener("resize", hide);
  });
})();
