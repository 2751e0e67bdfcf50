/* testimonials widgets: renders each <testimonials-widget> in a Shadow DOM, lazily, in the
   space its slot stylesheet reserved, and measures slots under a running experiment.
   No cookies, no storage, no other origin contacted. */
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

  // --- measurement: batched text/plain beacons, each event with its own random id ---------
  var experiments = {}, queues = {}, conversions = [], timer = 0;
  function id() {
    var b = crypto.getRandomValues(new Uint8Array(16)), s = "";
    for (var i = 0; i < 16; i++) s += (b[i] | 256).toString(16).slice(1);
    return s;
  }
  function queue(key, event) {
    event.id = event.id || id();
    (queues[key] = queues[key] || []).push(event);
    timer = timer || setTimeout(flush, 3000);
  }
  function flush() {
    clearTimeout(timer);
    timer = 0;
    Object.keys(queues).forEach(function (key) {
      var events = queues[key];
      delete queues[key];
      for (var i = 0; i < events.length; i += 50) {
        var body = JSON.stringify({ experiment: key, webdriver: !!navigator.webdriver, events: events.slice(i, i + 50) });
        var url = origin + "/api/v1/track/events";
        // A string body is text/plain: no CORS preflight. keepalive outlives the page.
        fetch(url, { method: "POST", body: body, keepalive: true, credentials: "omit", mode: "no-cors" })
          .catch(function () { navigator.sendBeacon(url, body); });
      }
    });
  }
  d.addEventListener("visibilitychange", function () { if (d.visibilityState === "hidden") flush(); });
  w.addEventListener("pagehide", flush);
  T.flush = flush;

  function conversion(name, o) {
    o = o || {};
    var order = o.order_id == null ? null : String(o.order_id);
    var e = { type: "conversion", name: name };
    if (o.value != null) e.value = +o.value;
    // The same order reported twice (a reloaded thank-you page, a postback) counts once.
    if (order) { e.order_id = order; if (/^[\w.:-]{1,58}$/.test(order)) e.id = "order:" + order; }
    return e;
  }
  function experiment(key, goals) {
    if (experiments[key]) return;
    experiments[key] = 1;
    conversions.forEach(function (e) { queue(key, JSON.parse(JSON.stringify(e))); });
    var here = location.origin + location.pathname;
    // A goal URL matched here converts once per page view; the address is not sent.
    (goals || []).some(function (g) {
      var re = new RegExp("^" + g.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*") + "$");
      var at = (g[0] === "/" ? location.pathname : here) + (g.indexOf("?") < 0 ? "" : location.search);
      if (re.test(at)) return !queue(key, { type: "conversion", name: "goal" });
    });
  }
  // Testimonials.convert('signup', {value: 49, order_id: 'A-1'}): every experiment on the page.
  T.convert = function (name, options) {
    var e = conversion(String(name || "conversion"), options);
    conversions.push(e);
    Object.keys(experiments).forEach(function (key) { queue(key, JSON.parse(JSON.stringify(e))); });
  };

  // Viewable (IAB/MRC): >= 50% of the widget's pixels in view, in a visible and focused
  // tab, for one continuous second; the clock restarts whenever any of that stops.
  function measure(el, key, exp, shown) {
    var inView = false, clock = 0, done = false;
    function check() {
      var ok = inView && d.visibilityState === "visible" && d.hasFocus();
      if (!ok || done) { clearTimeout(clock); clock = 0; return; }
      clock = clock || setTimeout(function () {
        clock = 0;
        if (!inView || d.visibilityState !== "visible" || !d.hasFocus()) return;
        done = true;
        io.disconnect();
        queue(exp, { type: "viewable" });
      }, 1000);
    }
    var io = new IntersectionObserver(function (entries) {
      inView = entries[entries.length - 1].intersectionRatio >= 0.5;
      check();
    }, { threshold: [0, 0.5, 1] });
    var reach = new IntersectionObserver(function (entries) {
      if (!entries.some(function (e) { return e.isIntersecting; })) return;
      reach.disconnect();
      queue(exp, { type: "slot_reached" });
    });
    reach.observe(el);
    if (!shown) return;
    io.observe(el);
    d.addEventListener("visibilitychange", check);
    w.addEventListener("focus", check);
    w.addEventListener("blur", check);
    d.addEventListener("testimonials:interaction", function (ev) {
      var t = ev.detail;
      if (t.element !== el) return;
      var e = { type: "interaction", name: t.action };
      if (t.testimonial) e.testimonial = t.testimonial;
      queue(exp, e);
    });
  }

  function behave(root, key, el) {
    var section = root.querySelector(".tw-root");
    if (!section) return;
    section.classList.add("tw-js");
    function act(action, target) {
      var card = target && target.closest && target.closest("[data-testimonial]");
      emit("interaction", { widget: key, element: el, action: action, testimonial: card ? +card.getAttribute("data-testimonial") : 0 });
    }
    // Click-through on a link, and any control a card marks with data-tw-action (expand, play).
    section.addEventListener("click", function (e) {
      var t = e.target.closest && e.target.closest("a[href],[data-tw-action]");
      if (t) act(t.getAttribute("data-tw-action") || "click_through", t);
    });
    var pause = section.querySelector(".tw-pause-input");
    if (pause) pause.addEventListener("change", function () { act(pause.checked ? "pause" : "resume"); });
    var track = section.querySelector(".tw-carousel .tw-track");
    if (!track) return;
    function step(direction) {
      var card = track.querySelector(".tw-card");
      var by = card ? card.getBoundingClientRect().width : track.clientWidth;
      var rtl = getComputedStyle(track).direction === "rtl" ? -1 : 1;
      track.scrollBy({ left: direction * rtl * by });
      act(direction > 0 ? "carousel_next" : "carousel_previous");
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
    if (x) { experiment(x.key, x.goals); measure(el, key, x.key, !!slot.html); }
    emit("rendered", { widget: key, element: el, arm: x ? x.arm : null, unit: x ? x.unit : null });
  }

  function mount(el) {
    var key = el.getAttribute("data-testimonials-widget");
    if (!key || el.shadowRoot || el.tagName === "IFRAME") return;
    el.attachShadow({ mode: "open" });
    var url = origin + "/w/" + encodeURIComponent(key) + "/slot.json";
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

  // Pages without a widget (a thank-you page) name their experiments on the script tag;
  // their goal URLs come from a small cacheable answer.
  ((me && me.getAttribute("data-testimonials-experiment")) || "").split(/\s+/).forEach(function (key) {
    if (!key) return;
    fetch(origin + "/api/v1/track/goals?experiment=" + encodeURIComponent(key), { credentials: "omit" })
      .then(function (r) { return r.ok ? r.json() : { goals: [] }; })
      .then(function (x) { experiment(key, x.goals); }, function () { experiment(key, []); });
  });
  // Conversions a page reported before this script ran: Testimonials.pending = [[name, options]].
  (T.pending || []).forEach(function (c) { T.convert(c[0], c[1]); });

  if (w.customElements && !customElements.get("testimonials-widget")) {
    customElements.define("testimonials-widget", class extends HTMLElement {
      connectedCallback() { mount(this); }
    });
  }
  var scan = function () { d.querySelectorAll("[data-testimonials-widget]").forEach(mount); };
  if (d.readyState === "loading") d.addEventListener("DOMContentLoaded", scan); else scan();
})(window, document);
