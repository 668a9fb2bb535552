// The compose forms: a draft kept in this browser while typing, and similar questions
// under the title. Both are extras: the forms work the same without this file.
(function () {
  "use strict";
  var SIMILAR_MAX = 5, SIMILAR_MIN_WORDS = 3, WAIT_MS = 400;

  function store(action, key, value) {
    try {  // Storage may be off (private windows, full quota): then there is no draft.
      if (action === "get") { return window.localStorage.getItem(key); }
      if (action === "set") { window.localStorage.setItem(key, value); }
      if (action === "remove") { window.localStorage.removeItem(key); }
    } catch (error) { return null; }
    return null;
  }

  function keepDraft(form) {
    var key = "forum-draft:" + window.location.pathname + ":" + form.getAttribute("action");
    var fields = ["title", "body"].map(function (name) { return form.elements.namedItem(name); })
      .filter(function (field) { return field && field.tagName; });
    var saved = null;
    try { saved = JSON.parse(store("get", key) || "null"); } catch (error) { saved = null; }
    var empty = fields.every(function (field) { return !field.value.trim(); });
    if (saved && empty) {
      fields.forEach(function (field) {
        if (typeof saved[field.name] === "string") { field.value = saved[field.name]; }
      });
    }
    function save() {
      var draft = {};
      fields.forEach(function (field) { draft[field.name] = field.value; });
      if (fields.some(function (field) { return field.value.trim(); })) {
        store("set", key, JSON.stringify(draft));
      } else {
        store("remove", key);
      }
    }
    fields.forEach(function (field) { field.addEventListener("input", save); });
    form.addEventListener("submit", function (event) {
      // A preview comes back with the text in the fields; only posting ends the draft.
      if (!(event.submitter && event.submitter.name === "preview")) { store("remove", key); }
    });
  }

  function showSimilar(form) {
    var url = form.dataset.similarUrl, title = form.elements.namedItem("title");
    var box = form.querySelector("[data-similar-list]");
    if (!url || !title || !box || !window.fetch) { return; }
    var timer = null, asked = 0;
    function show(items) {
      box.textContent = "";
      if (!items.length) { return; }
      var heading = document.createElement("p");
      heading.className = "help";
      heading.textContent = "Similar questions:";
      var list = document.createElement("ul");
      list.className = "plain-list";
      items.slice(0, SIMILAR_MAX).forEach(function (item) {
        var link = document.createElement("a");
        link.href = item.url;
        link.textContent = item.title;
        var row = document.createElement("li");
        row.appendChild(link);
        list.appendChild(row);
      });
      box.appendChild(heading);
      box.appendChild(list);
    }
    function ask() {
      var text = title.value.trim();
      var mine = ++asked;
      if (text.split(/\s+/).length < SIMILAR_MIN_WORDS) { show([]); return; }
      fetch(url + "?type=thread&q=" + encodeURIComponent(text.slice(0, 400)), {
        credentials: "same-origin", headers: { Accept: "application/json" }
      })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (body) {
          if (mine === asked) { show(body && Array.isArray(body.items) ? body.items : []); }
        })
        .catch(function () {});
    }
    title.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(ask, WAIT_MS);
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll("form[data-draft]"), function (form) {
    keepDraft(form);
    showSimilar(form);
  });
}());
