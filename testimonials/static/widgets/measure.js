/* testimonials measurement: loaded by loader.js only where an experiment runs. Batched
   text/plain beacons, each event with its own random id; slot_reached, viewable (IAB/MRC;
   the widget and each card), interactions, conversions (Testimonials.convert and goal
   URLs). No cookies, no storage. */
(function (w, d) {
  "use strict";
  var T = w.Testimonials, origin = T.widgets.origin;
  if (T.measure) return;
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
      var events = queues[key], url = origin + "/api/v1/track/events";
      delete queues[key];
      for (var i = 0; i < events.length; i += 50) {
        var body = JSON.stringify({ experiment: key, webdriver: !!navigator.webdriver, events: events.slice(i, i + 50) });
        // A string body is text/plain: no CORS preflight. keepalive outlives the page.
        fetch(url, { method: "POST", body: body, keepalive: true, credentials: "omit", mode: "no-cors" })
          .catch(function () { navigator.sendBeacon(url, body); });
      }
    });
  }
  d.addEventListener("visibilitychange", function () { if (d.visibilityState === "hidden") flush(); });
  w.addEventListener("pagehide", flush);
  T.flush = flush;

  function copy(e) { return JSON.parse(JSON.stringify(e)); }
  // Goal URLs convert once per matched address and page: on load, and on a single-page
  // app's route changes (history API, back/forward, hash). The address is not sent.
  var goals = {}, converted = {};
  function route() {
    Object.keys(goals).forEach(function (key) {
      goals[key].some(function (g) {
        var re = new RegExp("^" + g.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*") + "$");
        var at = (g[0] === "/" ? "" : location.origin) + location.pathname + (g.indexOf("?") < 0 ? "" : location.search) + (g.indexOf("#") < 0 ? "" : location.hash);
        if (!re.test(at)) return;
        if (!converted[key + at]) queue(key, { type: "conversion", name: "goal" });
        return converted[key + at] = 1;
      });
    });
  }
  function experiment(key, patterns) {
    if (experiments[key]) return;
    experiments[key] = 1;
    conversions.forEach(function (e) { queue(key, copy(e)); });
    if (!patterns.length) return;
    if (!Object.keys(goals).length) {  // the first experiment with goals hooks the routes
      ["pushState", "replaceState"].forEach(function (m) {
        var f = history[m];
        history[m] = function () { var r = f.apply(this, arguments); route(); return r; };
      });
      w.addEventListener("popstate", route);
      w.addEventListener("hashchange", route);
    }
    goals[key] = patterns;
    route();
  }
  // Testimonials.convert('signup', {value: 49, order_id: 'A-1'}): every experiment on the page.
  function convert(name, o) {
    o = o || {};
    var order = o.order_id == null ? "" : String(o.order_id);
    var e = { type: "conversion", name: String(name || "conversion") };
    if (o.value != null) e.value = +o.value;
    // The same order reported twice (a reloaded thank-you page, a postback) counts once.
    if (order) { e.order_id = order; if (/^[\w.:-]{1,58}$/.test(order)) e.id = "order:" + order; }
    conversions.push(e);
    Object.keys(experiments).forEach(function (key) { queue(key, copy(e)); });
  }

  // Viewable (IAB/MRC): >= 50% of the element's pixels in view, in a visible and focused
  // tab, for one continuous second; the clock restarts whenever any of that stops.
  function watch(target, viewable) {
    var inView = false, clock = 0, done = false;
    function good() { return inView && d.visibilityState === "visible" && d.hasFocus(); }
    function check() {
      if (done || !good()) { clearTimeout(clock); clock = 0; return; }
      clock = clock || setTimeout(function () {
        clock = 0;
        if (done || !good()) return;
        done = true;
        io.disconnect();
        listen("removeEventListener");
        viewable();
      }, 1000);
    }
    function listen(how) {
      d[how]("visibilitychange", check);
      w[how]("focus", check);
      w[how]("blur", check);
    }
    var io = new IntersectionObserver(function (entries) {
      inView = entries[entries.length - 1].intersectionRatio >= 0.5;
      check();
    }, { threshold: [0, 0.5, 1] });
    io.observe(target);
    // One set of listeners per watched element (the widget and each card), removed once it
    // counted: a long page does not keep checking what is already viewable.
    listen("addEventListener");
  }

  function slot(el, exp, shown) {
    // Reached: the slot's box entered the viewport (in the holdout, its zero-height line).
    var reach = new IntersectionObserver(function (entries) {
      if (!entries.some(function (e) { return e.isIntersecting; })) return;
      reach.disconnect();
      queue(exp, { type: "slot_reached" });
    });
    reach.observe(el);
    if (!shown) return;
    // The widget, then each card by the same rule: in a carousel or a marquee the widget is
    // in view while most cards are not. Once per testimonial and page view ("cards" tells
    // the server this page measured its cards).
    watch(el, function () { queue(exp, { type: "viewable", name: "cards" }); });
    var seen = {};
    el.shadowRoot.querySelectorAll("[data-testimonial]").forEach(function (card) {
      var t = +card.getAttribute("data-testimonial");
      if (t > 0) watch(card, function () {
        if (!seen[t]) queue(exp, { type: "card_viewable", testimonial: t });
        seen[t] = 1;
      });
    });
    // Click-through on a link, any control a card marks with data-tw-action (expand, play),
    // the marquee's pause switch; the card's testimonial id goes with it.
    function act(action, target) {
      var card = target && target.closest("[data-testimonial]");
      T.widgets.emit("interaction", { element: el, action: action, testimonial: card ? +card.getAttribute("data-testimonial") : 0 });
    }
    el.shadowRoot.addEventListener("click", function (e) {
      var t = e.target.closest && e.target.closest("a[href],[data-tw-action]");
      if (t) act(t.getAttribute("data-tw-action") || "click_through", t);
    });
    el.shadowRoot.addEventListener("change", function (e) {
      if (e.target.classList.contains("tw-pause-input")) act(e.target.checked ? "pause" : "resume");
    });
    d.addEventListener("testimonials:interaction", function (ev) {
      var t = ev.detail, e = { type: "interaction", name: t.action };
      if (t.element !== el) return;
      if (t.testimonial) e.testimonial = t.testimonial;
      queue(exp, e);
    });
  }

  // What loader.js hands over: a slot under an experiment, or an experiment a page names.
  T.measure = function (el, key, answer) {
    var x = answer.experiment;
    if (el) slot(el, x.key, !!answer.html);
    if (x.goals) return experiment(x.key, x.goals);
    fetch(origin + "/api/v1/track/goals?experiment=" + encodeURIComponent(x.key), { credentials: "omit" })
      .then(function (r) { return r.json(); })
      .then(function (a) { experiment(x.key, a.goals || []); }, function () { experiment(x.key, []); });
  };
  (T.pending || []).forEach(function (c) { convert(c[0], c[1]); });
  T.pending = [];
  T.convert = convert;
})(window, document);
