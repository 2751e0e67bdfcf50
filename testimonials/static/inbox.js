/* The inbox, enhanced: keyboard triage, in-place updates, bulk actions and undo.
 *
 * Everything here is optional: without JavaScript every action is a plain form that
 * redirects back. With it, the same forms are sent with fetch (Accept: application/json,
 * X-CSRFToken) and the card is updated in place. Customer text is only ever set with
 * textContent, never innerHTML.
 */
(function () {
  "use strict";

  var list = document.getElementById("inbox");
  if (!list) return;
  var canEdit = list.getAttribute("data-can-edit") === "true";
  var csrf = list.getAttribute("data-csrf");
  var filterStatus = list.getAttribute("data-filter-status");
  var undoUrl = list.getAttribute("data-undo-url");
  var statusBox = document.getElementById("inbox-status");
  var help = document.getElementById("shortcut-help");
  var bulkForm = document.getElementById("bulk-form");
  var undoForm = document.getElementById("undo-form");
  var helpReturnFocus = null;

  Array.prototype.forEach.call(document.querySelectorAll("[data-js-only]"), function (el) {
    el.hidden = false;
  });

  // --- cards and focus ---------------------------------------------------------------

  function cards() {
    return Array.prototype.slice.call(list.querySelectorAll(".inbox-card"));
  }

  function currentCard() {
    var active = document.activeElement;
    var card = active && active.closest ? active.closest(".inbox-card") : null;
    return card || list.querySelector(".inbox-card.current");
  }

  function focusCard(card) {
    if (!card) return;
    cards().forEach(function (c) { c.classList.remove("current"); });
    card.classList.add("current");
    card.focus({ preventScroll: true });
    card.scrollIntoView({ block: "nearest" });
  }

  list.addEventListener("focusin", function (event) {
    var card = event.target.closest && event.target.closest(".inbox-card");
    if (!card || card.classList.contains("current")) return;
    cards().forEach(function (c) { c.classList.remove("current"); });
    card.classList.add("current");
  });

  function move(step) {
    var all = cards();
    if (!all.length) return;
    var current = currentCard();
    var index = current ? all.indexOf(current) + step : 0;
    focusCard(all[Math.max(0, Math.min(all.length - 1, index))]);
  }

  function nextOpenCard(card) {
    var all = cards();
    var index = all.indexOf(card);
    for (var i = index + 1; i < all.length; i++) {
      if (!all[i].classList.contains("decided")) return all[i];
    }
    return all[index + 1] || card;
  }

  function cardById(id) {
    return document.getElementById("t-" + id);
  }

  // --- messages ----------------------------------------------------------------------

  function showError(card, message) {
    var box = card && card.querySelector(".card-error");
    if (!box) { announce(message, false, true); return; }
    box.textContent = message;
    box.hidden = false;
  }

  function clearError(card) {
    var box = card && card.querySelector(".card-error");
    if (box) { box.textContent = ""; box.hidden = true; }
  }

  function errorText(body) {
    var parts = [body.error || "That did not work."];
    var errors = body.errors || {};
    Object.keys(errors).forEach(function (field) {
      [].concat(errors[field]).forEach(function (m) { if (m !== body.error) parts.push(m); });
    });
    return parts.join(" ");
  }

  function announce(message, offerUndo, isError) {
    if (!statusBox) return;
    statusBox.textContent = "";
    statusBox.classList.toggle("is-error", !!isError);
    var text = document.createElement("span");
    text.textContent = message;
    statusBox.appendChild(text);
    if (offerUndo && canEdit) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "link undo-button";
      button.textContent = "Undo";
      button.addEventListener("click", undo);
      statusBox.appendChild(document.createTextNode(" "));
      statusBox.appendChild(button);
    }
  }

  // --- talking to the server ---------------------------------------------------------

  function send(url, data) {
    return fetch(url, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "Accept": "application/json", "X-CSRFToken": csrf }
    }).then(function (response) {
      return response.json().catch(function () {
        return { ok: false, error: "The server answered " + response.status + "." };
      });
    }, function () {
      return { ok: false, error: "Could not reach the server; check your connection." };
    });
  }

  function formData(form, submitter) {
    var data = new FormData(form);
    if (submitter && submitter.name) data.set(submitter.name, submitter.value);
    return data;
  }

  function updateCard(state) {
    var card = cardById(state.id);
    if (!card) return;
    card.setAttribute("data-status", state.status);
    card.className = card.className.replace(/\bstatus-\w+/g, "").trim() + " status-" + state.status;
    card.classList.toggle("decided", filterStatus !== "all" && state.status !== filterStatus);
    var badge = card.querySelector("[data-role=status]");
    if (badge) {
      badge.textContent = state.status + (state.snoozed_until ? " until " + state.snoozed_until : "");
      badge.className = "status-badge status-" + state.status;
    }
    Array.prototype.forEach.call(card.querySelectorAll("input[name=reason], input[name=override_reason]"),
      function (input) { input.value = ""; });
    card.classList.remove("asking");
  }

  function act(form, submitter) {
    var card = form.closest(".inbox-card");
    clearError(card);
    card.classList.add("busy");
    return send(form.getAttribute("action"), formData(form, submitter)).then(function (body) {
      card.classList.remove("busy");
      if (!body.ok) {
        showError(card, errorText(body));
        var override = card.querySelector("input[name=override_reason]");
        if (body.errors && body.errors.override_reason && override) override.focus();
        return;
      }
      body.testimonials.forEach(updateCard);
      announce(body.message, true);
      focusCard(nextOpenCard(card));
    });
  }

  function undo() {
    if (!canEdit) return;
    var data = new FormData();
    data.set("csrf_token", csrf);
    send(undoUrl, data).then(function (body) {
      if (!body.ok) { announce(errorText(body), false, true); return; }
      body.testimonials.forEach(function (state) {
        updateCard(state);
        clearError(cardById(state.id));
      });
      announce(body.message, false);
      if (body.testimonials.length) focusCard(cardById(body.testimonials[0].id));
    });
  }

  list.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("form.act")) return;
    event.preventDefault();
    act(form, event.submitter);
  });

  if (undoForm) {
    undoForm.addEventListener("submit", function (event) { event.preventDefault(); undo(); });
  }

  // --- selection and bulk ------------------------------------------------------------

  function selectedBoxes() {
    return Array.prototype.slice.call(list.querySelectorAll(".select-box:checked"));
  }

  function showSelectedCount() {
    var label = bulkForm && bulkForm.querySelector("[data-role=selected-count]");
    if (label) label.textContent = selectedBoxes().length + " selected";
  }

  list.addEventListener("change", function (event) {
    if (event.target.classList.contains("select-box")) showSelectedCount();
  });

  if (bulkForm) {
    showSelectedCount();
    var selectAll = bulkForm.querySelector("[data-role=select-all]");
    if (selectAll) selectAll.addEventListener("click", function () {
      var boxes = list.querySelectorAll(".select-box");
      var all = selectedBoxes().length === boxes.length;
      Array.prototype.forEach.call(boxes, function (box) { box.checked = !all; });
      showSelectedCount();
    });
    bulkForm.addEventListener("submit", function (event) {
      event.preventDefault();
      if (!selectedBoxes().length) {
        announce("Select testimonials first (press x on a card, or tick its box).", false, true);
        return;
      }
      send(bulkForm.getAttribute("action"), formData(bulkForm, event.submitter)).then(function (body) {
        if (!body.ok) { announce(errorText(body), false, true); return; }
        body.testimonials.forEach(function (state) {
          updateCard(state);
          var box = cardById(state.id) && cardById(state.id).querySelector(".select-box");
          if (box) box.checked = false;
        });
        Object.keys(body.skipped || {}).forEach(function (id) {
          showError(cardById(id), "Skipped: " + body.skipped[id]);
        });
        showSelectedCount();
        announce(body.message, body.testimonials.length > 0, Object.keys(body.skipped || {}).length > 0);
      });
    });
  }

  // --- keyboard ------------------------------------------------------------------------

  function isTyping(element) {
    if (!element || !element.tagName) return false;
    var tag = element.tagName;
    if (tag === "TEXTAREA" || tag === "SELECT" || element.isContentEditable) return true;
    return tag === "INPUT" && !/^(checkbox|radio|button|submit|reset)$/.test(element.type);
  }

  function openHelp() {
    if (!help) return;
    helpReturnFocus = document.activeElement;
    help.hidden = false;
    help.querySelector(".help-box").focus();
  }

  function closeHelp() {
    if (!help) return;
    help.hidden = true;
    if (helpReturnFocus && helpReturnFocus.focus) helpReturnFocus.focus();
  }

  if (help) {
    help.addEventListener("click", function (event) {
      if (event.target === help || event.target.getAttribute("data-role") === "close-help") closeHelp();
    });
    Array.prototype.forEach.call(document.querySelectorAll(".help-toggle"), function (b) {
      b.addEventListener("click", openHelp);
    });
  }

  function approve(card) {
    var form = card.querySelector("form.act-approve");
    if (!form) return;
    var button = form.querySelector("button[type=submit]");
    if (button.disabled) {
      var why = card.querySelector(".why-not");
      showError(card, why ? why.textContent : "This testimonial cannot be approved.");
      return;
    }
    var override = form.querySelector("input[name=override_reason]");
    if (override && !override.value.trim()) {
      card.classList.add("asking");
      showError(card, "This looks suspicious: type why it is genuine, then press Enter.");
      override.focus();
      return;
    }
    act(form, button);
  }

  function askReason(card) {
    var input = card.querySelector("form.act-reject input[name=reason]");
    if (!input) return;
    card.classList.add("asking");
    input.focus();
  }

  function snoozeWeek(card) {
    var form = card.querySelector("form.act-snooze");
    if (form) act(form, form.querySelector("button[value=week]"));
  }

  function toggleSelection(card) {
    var box = card.querySelector(".select-box");
    if (!box) return;
    box.checked = !box.checked;
    showSelectedCount();
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (help && !help.hidden) {
      if (event.key === "Escape" || event.key === "?") { event.preventDefault(); closeHelp(); }
      return;
    }
    var target = event.target;
    if (isTyping(target)) {
      var inCard = target.closest && target.closest(".inbox-card");
      if (event.key === "Escape" && inCard) { event.preventDefault(); focusCard(inCard); }
      return;
    }
    if (event.key === "?") { event.preventDefault(); openHelp(); return; }
    if (event.key === "j") { event.preventDefault(); move(1); return; }
    if (event.key === "k") { event.preventDefault(); move(-1); return; }
    if (event.key === "u" && canEdit) { event.preventDefault(); undo(); return; }
    var card = currentCard();
    if (!card) return;
    var handlers = {
      a: canEdit && approve,
      r: canEdit && askReason,
      s: canEdit && snoozeWeek,
      x: canEdit && toggleSelection,
      e: function (c) { window.location.href = c.getAttribute("data-edit-url"); }
    };
    var handler = handlers[event.key];
    if (handler) { event.preventDefault(); handler(card); }
  });
})();
