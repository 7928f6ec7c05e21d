// On-site search, added on top of a plain form: without JavaScript the form opens the list
// of all questions. The index (search-index.LANG.json, written by `clinicsite build`) is
// fetched the first time someone types, then filtered here; nothing leaves the site.
(function () {
  "use strict";
  var form = document.querySelector("form[data-search-index]");
  if (!form || !window.fetch) return;
  var input = form.querySelector("input[type=search]");
  var output = form.querySelector("[data-search-results]");
  var root = form.getAttribute("data-root") || "./";
  var entries = null;
  var loading = null;

  function fold(text) {
    return (text || "").toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  }

  function load() {
    if (!loading) {
      loading = fetch(form.getAttribute("data-search-index"))
        .then(function (r) { return r.ok ? r.json() : []; })
        .then(function (list) {
          entries = list.map(function (e) {
            return { entry: e, title: fold(e.t), rest: fold([e.s, e.c, e.h, e.k].join(" ")) };
          });
        })
        .catch(function () { entries = []; });
    }
    return loading;
  }

  function search(query) {
    var words = fold(query).split(/\s+/).filter(function (w) { return w.length > 1; });
    if (!words.length) return [];
    var scored = [];
    entries.forEach(function (item) {
      var score = 0;
      for (var i = 0; i < words.length; i++) {
        if (item.title.indexOf(words[i]) >= 0) score += 3;
        else if (item.rest.indexOf(words[i]) >= 0) score += 1;
        else return;
      }
      scored.push({ score: score, entry: item.entry });
    });
    scored.sort(function (a, b) { return b.score - a.score; });
    return scored.slice(0, 8).map(function (s) { return s.entry; });
  }

  function show(query) {
    var results = search(query);
    output.textContent = "";
    if (!query.trim()) return;
    var status = document.createElement("p");
    status.className = "search-status";
    status.textContent = results.length
      ? form.getAttribute("data-found").replace("{n}", results.length)
      : form.getAttribute("data-none");
    output.appendChild(status);
    if (!results.length) return;
    var list = document.createElement("ul");
    results.forEach(function (e) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = root + e.u;
      a.textContent = e.t;
      li.appendChild(a);
      if (e.s) {
        var p = document.createElement("p");
        p.textContent = e.s;
        li.appendChild(p);
      }
      list.appendChild(li);
    });
    output.appendChild(list);
  }

  // A search sent from another page (or before the script loaded) arrives as ?q=.
  var asked = new URLSearchParams(window.location.search).get("q");
  if (asked) {
    input.value = asked;
    load().then(function () { show(asked); });
  }

  input.addEventListener("input", function () {
    load().then(function () { show(input.value); });
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    load().then(function () { show(input.value); });
  });
})();
