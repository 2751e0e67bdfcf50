/* testimonials in-page NPS survey.
   <script async src="https://HOST/embed/survey.js" data-survey="TOKEN"></script>
   One global, window.Testimonials.survey: open({force}), close(). Calls queued before we
   load (the snippet's stub keeps them in .q) are replayed. Renders in a Shadow DOM, puts
   customer text in with textContent only, and never throws into the host page. */
(function () {
  "use strict";
  try {
    const doc = document, win = window, DAY = 864e5;
    const me = doc.currentScript || doc.querySelector("script[data-survey]");
    const token = me && me.getAttribute("data-survey");
    if (!token) return;
    const api = me.src.replace(/\/embed\/survey\.js([?#].*)?$/, "") +
      "/embed/surveys/" + encodeURIComponent(token);
    const KEY = "testimonials.survey." + token;
    let cfg, pending, root, back;

    const safe = (fn) => function () { try { return fn.apply(this, arguments); } catch (e) {} };
    const el = (tag, attrs, text) => {
      const node = doc.createElement(tag);
      for (const k in attrs) node.setAttribute(k, attrs[k]);
      if (text != null) node.textContent = text;
      return node;
    };
    // The survey's own words: English here, another language's from its settings.
    const L = (key, english) => (cfg.labels && cfg.labels[key]) || english;

    // One decision per visitor per cool-down: sampled in, out, or done (answered or
    // dismissed). Without storage we could not remember, so we do not ask.
    const save = (rec) => {
      try { localStorage.setItem(KEY, JSON.stringify(rec)); return true; } catch (e) { return false; }
    };
    const until = () => Date.now() + cfg.cooldown_days * DAY;
    const eligible = () => {
      const rate = cfg.sample_rate;
      let rec;
      try { rec = JSON.parse(localStorage.getItem(KEY)); } catch (e) { return false; }
      if (!rec || !(rec.until > Date.now()) || (rec.s !== "done" && rec.r !== rate)) {
        rec = { s: Math.random() < rate ? "in" : "out", r: rate, until: until() };
        if (!save(rec)) return false;
      }
      return rec.s === "in";
    };
    const finish = () => save({ s: "done", until: until() });

    const CSS = ":host{all:initial!important}" +
      ".card{position:fixed;z-index:2147483000;right:16px;bottom:16px;width:min(380px,calc(100vw - 32px));" +
      "max-height:calc(100vh - 32px);overflow:auto;background:#fff;color:#1b1b1f;font:15px/1.45 system-ui," +
      "sans-serif;border:1px solid #c9c9d1;border-radius:12px;box-shadow:0 8px 30px #0003;padding:16px}" +
      "*{box-sizing:border-box;margin:0}[hidden]{display:none!important}" +
      "h2{font-size:16px;padding-right:28px;margin-bottom:10px}" +
      "button,input,select,textarea{font:inherit;font-size:14px;color:inherit;border:1px solid #8d8d99;" +
      "border-radius:6px;background:#fff;padding:6px;display:block;width:100%}" +
      ".scores{display:grid;grid-template-columns:repeat(11,1fr);gap:3px}" +
      "[aria-pressed=true],.send{background:#1f4fd1;color:#fff}" +
      ".x{position:absolute;top:8px;right:8px;border:0;font-size:20px;padding:2px 8px;width:auto}" +
      ".ends{display:flex;justify-content:space-between;font-size:12px;color:#55555f;margin:4px 0}" +
      "label{display:block;margin:10px 0 4px;font-size:14px}.ok{display:flex;gap:8px}" +
      ".ok input{width:auto}.err{color:#b00020;font-size:13px}.status{font-size:13px}" +
      ".send{margin-top:12px;width:auto;padding:8px 16px;font-weight:600}" +
      ":focus-visible{outline:2px solid #1f4fd1;outline-offset:2px}" +
      "@media (prefers-reduced-motion:no-preference){.card{animation:t-in .2s}}" +
      "@keyframes t-in{from{opacity:0;transform:translateY(8px)}}";

    const close = (dismissed) => {
      if (!root) return;
      if (dismissed) finish();
      root.remove();
      root = null;
      if (back) back.focus();
    };

    // Every score gets the same questions and the same permission step: no review gating.
    const show = () => {
      if (root || !doc.body) return;
      root = el("testimonials-survey");
      const shadow = root.attachShadow({ mode: "open" });
      const card = el("div", { class: "card", role: "dialog", "aria-modal": "false",
        "aria-labelledby": "t-q", tabindex: "-1" });
      // A survey in another language than English brings its words, language and direction.
      if (cfg.language) { card.lang = cfg.language; card.dir = cfg.dir; }
      const form = el("form", { novalidate: "" });
      const more = el("div", { hidden: "" }), who = el("div", { hidden: "" });
      const scores = el("div", { class: "scores", role: "group", "aria-labelledby": "t-q",
        "aria-describedby": "t-e-score" });
      const ends = el("div", { class: "ends" });
      const x = el("button", { type: "button", class: "x", "aria-label": L("close", "Close survey") }, "\u00d7");
      const fields = {}, errs = { score: el("p", { class: "err", id: "t-e-score" }) };
      let score = null;
      x.onclick = safe(() => close(true));
      for (let n = 0; n <= 10; n++) {
        const b = el("button", { type: "button", "aria-pressed": "false" }, n);
        b.onclick = safe(() => {
          score = n;
          for (const o of scores.children) o.setAttribute("aria-pressed", o === b);
          more.hidden = false;
        });
        scores.append(b);
      }
      ends.append(el("span", {}, L("low", "0 = Not at all likely")), el("span", {}, L("high", "10 = Extremely likely")));
      form.append(el("h2", { id: "t-q" }, cfg.question), scores, ends, errs.score, more);

      const field = (name, label, control, parent) => {
        const err = (errs[name] = el("p", { class: "err", id: "t-e-" + name }));
        Object.assign(control, { id: "t-" + name, name: name });
        control.setAttribute("aria-describedby", err.id);
        control.oninput = () => { err.textContent = ""; control.removeAttribute("aria-invalid"); };
        fields[name] = control;
        (parent || more).append(el("label", { for: control.id }, label), control, err);
      };
      field("comment", cfg.comment_prompt, el("textarea", { rows: 3 }));
      for (const q of cfg.extra_questions) {
        let input = el("input");
        if (q.type === "choice") {
          input = el("select");
          for (const c of ["", ...q.choices]) input.append(el("option", { value: c }, c));
        }
        field("answer_" + q.key, q.label, input);
      }
      const ok = el("div", { class: "ok" });
      const consent = el("input", { type: "checkbox", id: "t-consent" });
      consent.onchange = safe(() => { who.hidden = !consent.checked; });
      ok.append(consent, el("label", { for: "t-consent" }, cfg.consent.text));
      more.append(ok, who);
      field("name", L("name", "Your name (shown with your quote)"), el("input", { autocomplete: "name",
        "aria-required": "true" }), who);
      field("role", L("role", "Your role (optional)"), el("input", { autocomplete: "organization-title" }), who);
      field("company", L("company", "Your company (optional)"), el("input", { autocomplete: "organization" }), who);
      const status = el("p", { class: "status", role: "status" });
      const send = el("button", { type: "submit", class: "send" }, L("send", "Send"));
      more.append(status, send);

      const showErrors = (errors) => {
        let first;
        for (const k in errors) {
          const text = [].concat(errors[k]).join(" ");
          if (errs[k]) errs[k].textContent = text; else status.textContent += " " + text;
          if (fields[k]) { fields[k].setAttribute("aria-invalid", "true"); first = first || fields[k]; }
        }
        if (first) first.focus();
      };
      const answered = () => {
        finish();
        form.replaceChildren(el("h2", { id: "t-q" }, L("thanks", "Thank you!")), el("p", {}, L("sent", "Your answer has been sent.")));
        card.focus();
      };
      form.onsubmit = safe((ev) => {
        ev.preventDefault();
        const body = { score, comment: fields.comment.value, answers: {}, consent: consent.checked,
          consent_version: cfg.consent.version, language: (navigator.language || "").slice(0, 16) };
        for (const q of cfg.extra_questions) body.answers[q.key] = fields["answer_" + q.key].value;
        if (consent.checked) for (const k of ["name", "role", "company"]) body[k] = fields[k].value;
        send.disabled = true;
        status.textContent = L("sending", "Sending\u2026");
        // A simple CORS request (text/plain, no cookies): no preflight, nothing of the host's.
        fetch(api + "/responses", { method: "POST", mode: "cors", credentials: "omit",
          headers: { "Content-Type": "text/plain" }, body: JSON.stringify(body) })
          .then((r) => r.json().catch(() => ({})).then(safe((j) => {
            status.textContent = r.status === 201 ? "" : j.detail || L("failed", "Something went wrong; please try again.");
            if (r.status === 201) answered(); else showErrors(j.errors);
          })))
          .catch(() => { status.textContent = L("offline", "Your answer could not be sent. Please try again."); })
          .finally(() => { send.disabled = false; });
      });
      card.onkeydown = safe((ev) => { if (ev.key === "Escape") { ev.stopPropagation(); close(true); } });
      card.append(x, form);
      shadow.append(el("style", {}, CSS), card);
      doc.body.append(root);
      // Take focus only when the visitor is not busy with something else on the page.
      const active = doc.activeElement;
      if (!active || active === doc.body) { back = active; card.focus({ preventScroll: true }); }
    };

    const open = (options) => {
      if (!cfg) pending = options || {};
      else if ((options && options.force) || eligible()) show();
    };
    const arm = () => {
      const t = cfg.trigger;
      if (pending) open(pending);
      else if (t.type === "delay") setTimeout(safe(open), t.delay_seconds * 1000);
      else if (t.type === "scroll") {
        const check = safe(() => {
          if ((win.scrollY + win.innerHeight) * 100 >= doc.documentElement.scrollHeight * t.scroll_percent) {
            win.removeEventListener("scroll", check);
            open();
          }
        });
        win.addEventListener("scroll", check, { passive: true });
        check();
      }
    };

    // Fill in the object the stub made (code may hold it), then replay what it queued.
    const ns = (win.Testimonials = win.Testimonials || {});
    const s = (ns.survey = ns.survey || {}), queued = [].concat(s.q || []);
    delete s.q;
    s.open = safe(open);
    s.close = safe(() => { pending = null; close(false); });
    queued.forEach(safe((c) => (c[0] === "close" ? s.close : s.open)(c[1])));
    fetch(api + "/config", { mode: "cors", credentials: "omit" })
      .then((r) => (r.ok ? r.json() : null))
      .then(safe((c) => { if (c) { cfg = c; arm(); } }))
      .catch(() => {});
  } catch (e) { /* never break the host page */ }
})();
