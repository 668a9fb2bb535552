// Progressive enhancement only: every feature works without this file.
(function () {
  "use strict";

  function setTextSize(size) {
    var root = document.documentElement;
    root.className = root.className.replace(/\btext-size-\d\b/g, "").trim() + " text-size-" + size;
    var secure = location.protocol === "https:" ? "; Secure" : "";
    document.cookie = "text_size=" + size + "; Max-Age=31536000; Path=/; SameSite=Lax" + secure;
    document.querySelectorAll(".text-size button[name=size]").forEach(function (button) {
      button.setAttribute("aria-pressed", button.value === size ? "true" : "false");
    });
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest(".text-size button[name=size]");
    if (!button) {
      return;
    }
    event.preventDefault();
    setTextSize(button.value);
  });

  // Forms marked data-confirm ask before submitting (e.g. deleting a post).
  document.addEventListener("submit", function (event) {
    var message = event.target.getAttribute("data-confirm");
    if (message && !window.confirm(message)) {
      event.preventDefault();
    }
  });
})();

// Crisis panel while composing: shown as soon as crisis wording is typed (the server
// shows it again after posting; nothing is ever blocked).
(function () {
  "use strict";
  document.querySelectorAll("form.compose[data-crisis-phrases]").forEach(function (form) {
    var phrases;
    try {
      phrases = JSON.parse(form.getAttribute("data-crisis-phrases")) || [];
    } catch (error) {
      return;
    }
    var panel = document.getElementById(form.getAttribute("data-crisis-panel"));
    var body = form.querySelector("textarea");
    if (!panel || !body) {
      return;
    }
    body.addEventListener("input", function () {
      var text = body.value.toLowerCase().replace(/\u2019/g, "'");
      panel.hidden = !phrases.some(function (phrase) {
        return text.indexOf(phrase.toLowerCase()) !== -1;
      });
    });
  });
})();
