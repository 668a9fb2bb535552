// Drug name autocomplete for inputs marked data-drug-autocomplete: fills their <datalist>.
// Progressive enhancement only; what is typed goes in a POST body, never in a URL.
(function () {
  "use strict";
  var tokenMeta = document.querySelector('meta[name="csrf-token"]');
  document.querySelectorAll("input[data-drug-autocomplete]").forEach(function (input) {
    var list = document.getElementById(input.getAttribute("list"));
    var url = input.getAttribute("data-drug-autocomplete");
    var timer = null;
    var last = "";
    if (!list || !url || !window.fetch) {
      return;
    }
    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(function () {
        var text = input.value.trim();
        if (text.length < 2 || text === last) {
          return;
        }
        last = text;
        var body = new URLSearchParams({ q: text });
        fetch(url, {
          method: "POST",
          body: body,
          credentials: "same-origin",
          headers: { "X-CSRFToken": tokenMeta ? tokenMeta.content : "", "Accept": "application/json" }
        }).then(function (response) {
          return response.ok ? response.json() : { results: [] };
        }).then(function (data) {
          list.textContent = "";
          data.results.forEach(function (result) {
            var option = document.createElement("option");
            option.value = result.name;
            if (result.name.toLowerCase() !== result.drug.toLowerCase()) {
              option.label = result.name + " (" + result.drug + ")";
            }
            list.appendChild(option);
          });
        }).catch(function () {});
      }, 150);
    });
  });
})();
