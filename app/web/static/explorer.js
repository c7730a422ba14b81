/* CQF Graph explorer: small progressive enhancements. Every page works without this file;
   with it, forms update the results in place (announced through the aria-live region) and
   keep the address shareable. No inline handlers: CSP script-src 'self' is enough. */
(function () {
  "use strict";
  var shown = window.location.pathname + window.location.search;

  function cleanQuery(form) {
    var data = new FormData(form);
    var last = {};
    var order = [];
    data.forEach(function (value, key) {
      if (!(key in last)) { order.push(key); }
      last[key] = value;
    });
    var params = new URLSearchParams();
    order.forEach(function (key) {
      var value = String(last[key]);
      if (value !== "") { params.append(key, value); }
    });
    return params.toString();
  }

  function swapResults(html, url) {
    var doc = new DOMParser().parseFromString(html, "text/html");
    var fresh = doc.getElementById("results");
    var current = document.getElementById("results");
    if (!fresh || !current) { window.location.assign(url); return; }
    current.replaceWith(fresh);
    document.title = doc.title;
    var sw = doc.getElementById("lang-switch");
    var mine = document.getElementById("lang-switch");
    if (sw && mine) { mine.replaceWith(document.importNode(sw, true)); }
  }

  function networkError(message) {
    var current = document.getElementById("results");
    if (!current) { return; }
    var box = document.createElement("div");
    box.className = "error";
    box.setAttribute("role", "alert");
    box.id = "error";
    var p = document.createElement("p");
    p.textContent = message;
    box.appendChild(p);
    var live = current.querySelector(".live") || current;
    live.replaceChildren(box);
    current.removeAttribute("aria-busy");
  }

  function enhance(form) {
    form.addEventListener("submit", function (event) {
      if (!window.fetch || !window.DOMParser) { return; }
      event.preventDefault();
      var query = cleanQuery(form);
      var url = form.getAttribute("action") + (query ? "?" + query : "");
      var results = document.getElementById("results");
      if (results) { results.setAttribute("aria-busy", "true"); }
      fetch(url, { headers: { "Accept": "text/html" }, credentials: "same-origin" })
        .then(function (response) {
          var type = response.headers.get("content-type") || "";
          if (type.indexOf("text/html") === -1) {
            networkError((document.body.getAttribute("data-error-title") ||
                          "The service answered an error") + " (" + response.status + ")");
            return;
          }
          return response.text().then(function (html) {
            history.pushState({ explorer: true }, "", url);
            shown = window.location.pathname + window.location.search;
            swapResults(html, url);
          });
        })
        .catch(function () {
          networkError(document.body.getAttribute("data-network-error") ||
                       "The service could not be reached.");
        });
    });
  }

  function modeSwitch(form) {
    var radios = form.querySelectorAll("input[name=mode]");
    if (!radios.length) { return; }
    function apply() {
      var chosen = form.querySelector("input[name=mode]:checked");
      var mode = chosen ? chosen.value : "profile";
      form.querySelectorAll("[data-mode]").forEach(function (block) {
        var on = block.getAttribute("data-mode") === mode;
        block.hidden = !on;
        block.querySelectorAll("select, input").forEach(function (el) { el.disabled = !on; });
      });
    }
    radios.forEach(function (r) { r.addEventListener("change", apply); });
    apply();
  }

  function filters() {
    document.querySelectorAll("input[data-filter]").forEach(function (input) {
      var list = document.querySelector(input.getAttribute("data-filter"));
      if (!list) { return; }
      input.addEventListener("input", function () {
        var needle = input.value.trim().toLowerCase();
        list.querySelectorAll("[data-text]").forEach(function (row) {
          row.hidden = needle !== "" && row.getAttribute("data-text").indexOf(needle) === -1;
        });
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-enhance]").forEach(function (form) {
      modeSwitch(form);
      enhance(form);
    });
    // Forms that choose between blocks without answering in place (the career plan form).
    document.querySelectorAll("form[data-modes]").forEach(modeSwitch);
    filters();
    // Back/forward between answers shown in place: reload that answer. Fragment jumps (the
    // skip link) also fire popstate; they keep the same address and are left alone.
    window.addEventListener("popstate", function () {
      if (window.location.pathname + window.location.search !== shown) {
        window.location.reload();
      }
    });
  });
})();
