// The Documents tab's uploads block: while a file waits for its check, fetch the block again every two
// seconds and put it in place (server-rendered, so the text stays in the user's language); once every file is
// checked, reload the page for the list and its totals.
(function () {
  "use strict";
  function refresh() {
    var block = document.getElementById("uploads");
    if (!block || !block.hasAttribute("data-pending")) return;
    fetch(block.getAttribute("data-url"), { credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
      .then(function (response) { return response.ok ? response.text() : Promise.reject(response.status); })
      .then(function (html) {
        var holder = document.createElement("div");
        holder.innerHTML = html;
        var fresh = holder.querySelector("#uploads");
        if (!fresh) return;
        block.replaceWith(fresh);
        // Every file checked: show the list and totals with the new documents.
        if (!fresh.hasAttribute("data-pending")) window.location.reload();
      })
      .catch(function () {})
      .then(function () { setTimeout(refresh, 2000); });
  }
  setTimeout(refresh, 1000);
})();
