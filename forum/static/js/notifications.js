// Refresh the unread count in the header without a reload (the page works without this).
(function () {
  "use strict";
  var link = document.querySelector("a.notification-count[data-count-url]");
  if (!link || !link.dataset.countUrl || !window.fetch) { return; }
  var badge = link.querySelector("[data-notification-count]");
  function refresh() {
    if (document.hidden) { return; }
    fetch(link.dataset.countUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (body) {
        if (body && typeof body.total === "number" && badge) { badge.textContent = String(body.total); }
      })
      .catch(function () {});
  }
  setInterval(refresh, 60000);
  document.addEventListener("visibilitychange", refresh);
}());
