// Embargo console: keyboard use, written for this console (no library, nothing loaded from
// elsewhere). Every page works without it; it only adds shortcuts.
//   j / k   next / previous row of a list (the queue, approvals, good-guy list)
//   Enter   open the current row          /   go to the filters          ?   show the keys
(function () {
  "use strict";
  function rows() { return Array.prototype.slice.call(document.querySelectorAll("[data-keynav] tbody tr[data-href]")); }
  function current() { return document.querySelector("[data-keynav] tr.current"); }
  function move(step) {
    var all = rows(); if (!all.length) return;
    var at = all.indexOf(current());
    var next = at < 0 ? (step > 0 ? 0 : all.length - 1) : Math.min(all.length - 1, Math.max(0, at + step));
    all.forEach(function (r) { r.classList.remove("current"); });
    all[next].classList.add("current"); all[next].focus();
    all[next].scrollIntoView({ block: "nearest" });
  }
  function typing(el) { return el && /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName); }
  function help() {
    var box = document.getElementById("keys-help");
    if (box) { box.remove(); return; }
    box = document.createElement("div"); box.id = "keys-help"; box.className = "help";
    box.setAttribute("role", "dialog");
    box.textContent = "j / k: next / previous · Enter: open · /: filters · ?: this help";
    document.body.appendChild(box);
  }
  document.addEventListener("keydown", function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey || typing(e.target)) return;
    if (e.key === "j") { move(1); e.preventDefault(); }
    else if (e.key === "k") { move(-1); e.preventDefault(); }
    else if (e.key === "Enter" && e.target.tagName !== "A" && e.target.tagName !== "BUTTON") {
      var row = current() || (e.target.dataset && e.target.dataset.href ? e.target : null);
      if (row && row.dataset.href) { window.location.href = row.dataset.href; e.preventDefault(); }
    } else if (e.key === "/") {
      var first = document.querySelector("#filters select, #filters input");
      if (first) { first.focus(); e.preventDefault(); }
    } else if (e.key === "?") { help(); }
  });
  document.addEventListener("click", function (e) {
    var row = e.target.closest && e.target.closest("[data-keynav] tr[data-href]");
    if (row && !e.target.closest("a, button, form, input, select")) { window.location.href = row.dataset.href; }
  });
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-back]").forEach(function (b) {
      if (window.history.length > 1) { b.hidden = false; b.addEventListener("click", function () { window.history.back(); }); }
    });
  });
})();
