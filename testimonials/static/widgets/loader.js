/* testimonials widgets: renders each <testimonials-widget> in a Shadow DOM, lazily, in the
   space its slot stylesheet reserved; slots under a running experiment are measured by
   measure.js, fetched only then. No cookies, no storage, no other origin contacted. */
(function (w, d) {
  "use strict";
  var me = d.currentScript;
  var origin = new URL(me ? me.src : location.href).origin;
  var T = (w.Testimonials = w.Testimonials || {});
  if (T.widgets) return;
  T.widgets = { origin: origin };

  // The one place widget events leave: measurement subscribes here (and beacons them).
  function emit(name, detail) {
    d.dispatchEvent(new CustomEvent("testimonials:" + name, { detail: detail }));
  }
  T.widgets.emit = emit;

  // Measurement lives in its own script, fetched only where an experiment runs: a slot
  // under one, or a page naming one on this script tag. Until then conversions wait here.
  var waiting = [];
  function measure(args) {
    if (T.measure) return T.measure.apply(null, args);
    if (waiting.push(args) > 1) return;
    var s = d.createElement("script");
    s.src = origin + "/widgets/measure.js";
    s.onload = function () { waiting.forEach(function (a) { T.measure.apply(null, a); }); };
    (d.head || d.documentElement).appendChild(s);
  }
  T.convert = T.convert || function (name, options) { (T.pending = T.pending || []).push([name, options]); };

  function behave(root, key, el) {
    var section = root.querySelector(".tw-root");
    if (!section) return;
    section.classList.add("tw-js");
    // "Read more" where the card really cuts its quote, at this width and with these fonts,
    // and where the browser can open a popover.
    var popovers = HTMLElement.prototype.hasOwnProperty("popover");
    var fit = function () {
      section.querySelectorAll(".tw-more").forEach(function (b) {
        var q = b.closest(".tw-card").querySelector("blockquote"), p = q.firstElementChild;
        b.hidden = !popovers || !(p.scrollHeight > p.clientHeight + 1 || q.scrollHeight > q.clientHeight + 1);
      });
    };
    fit();
    if (w.ResizeObserver) new ResizeObserver(fit).observe(section);
    if (d.fonts) d.fonts.ready.then(fit);
    var track = section.querySelector(".tw-carousel .tw-track");
    if (!track) return;
    function step(direction) {
      var card = track.querySelector(".tw-card");
      var by = card ? card.getBoundingClientRect().width : track.clientWidth;
      var rtl = getComputedStyle(track).direction === "rtl" ? -1 : 1;
      track.scrollBy({ left: direction * rtl * by });
      emit("interaction", { widget: key, element: el, action: direction > 0 ? "carousel_next" : "carousel_previous" });
    }
    section.querySelector(".tw-prev").addEventListener("click", function () { step(-1); });
    section.querySelector(".tw-next").addEventListener("click", function () { step(1); });
    track.addEventListener("keydown", function (e) {
      var dir = { ArrowRight: 1, ArrowLeft: -1 }[e.key];
      if (dir) { e.preventDefault(); step(dir); }
    });
  }
  T.widgets.behave = behave;

  function show(el, key, slot) {
    var root = el.shadowRoot;
    var sheet = new CSSStyleSheet();
    sheet.replaceSync(slot.css);
    root.adoptedStyleSheets = [sheet];
    // Markup comes escaped from our server; a parsed document never runs scripts.
    var doc = new DOMParser().parseFromString(slot.html, "text/html");
    root.replaceChildren.apply(root, Array.prototype.slice.call(doc.body.childNodes));
    behave(root, key, el);
    var x = slot.experiment;
    // The holdout's slot stays empty and zero-height (its slot.css reserved nothing).
    if (x) measure([el, key, slot]);
    emit("rendered", { widget: key, element: el, arm: x ? x.arm : null, unit: x ? x.unit : null });
  }

  function mount(el) {
    var key = el.getAttribute("data-testimonials-widget");
    if (!key || el.shadowRoot || el.tagName === "IFRAME") return;
    el.attachShadow({ mode: "open" });
    var url = origin + "/w/" + encodeURIComponent(key) + "/slot.json" + (navigator.webdriver ? "?webdriver=1" : "");
    var io = new IntersectionObserver(function (entries) {
      if (!entries.some(function (e) { return e.isIntersecting; })) return;
      io.disconnect();
      fetch(url, { credentials: "omit", referrerPolicy: "strict-origin" })
        .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
        .then(function (slot) { show(el, key, slot); })
        .catch(function (why) { emit("failed", { widget: key, reason: String(why) }); });
    }, { rootMargin: "600px 0px" });
    io.observe(el);
  }

  // An iframe of ours says how tall it is; only our origin and only that frame count.
  w.addEventListener("message", function (e) {
    var m = e.data;
    if (e.origin !== origin || !m || m.type !== "testimonials:height") return;
    var frames = d.querySelectorAll("iframe[data-testimonials-widget]");
    for (var i = 0; i < frames.length; i++) {
      if (frames[i].contentWindow === e.source) frames[i].style.height = (m.height | 0) + "px";
    }
  });

  var frameKey = d.documentElement.getAttribute("data-testimonials-frame");
  if (frameKey) {
    var post = function () {
      var h = d.documentElement.getBoundingClientRect().height;
      w.parent.postMessage({ type: "testimonials:height", widget: frameKey, height: Math.ceil(h) }, "*");
    };
    // After "load": an async script may run before the stylesheet applies, and a size
    // measured then would make the host page jump twice.
    var ready = function () { behave(d, frameKey, null); post(); new ResizeObserver(post).observe(d.documentElement); };
    if (d.readyState === "complete") ready(); else w.addEventListener("load", ready);
    return;
  }

  // Pages without a widget (a thank-you page) name their experiments on the script tag.
  ((me && me.getAttribute("data-testimonials-experiment")) || "").split(/\s+/).forEach(function (key) {
    if (key) measure([null, null, { experiment: { key: key } }]);
  });

  if (w.customElements && !customElements.get("testimonials-widget")) {
    customElements.define("testimonials-widget", class extends HTMLElement {
      connectedCallback() { mount(this); }
    });
  }
  var scan = function () { d.querySelectorAll("[data-testimonials-widget]").forEach(mount); };
  if (d.readyState === "loading") d.addEventListener("DOMContentLoaded", scan); else scan();
})(window, document);
