// clinicsite serve: reloads the page after each rebuild and shows build errors over it.
// Added to HTML pages by the dev server only; never part of the built site.
(() => {
  const script = document.currentScript;
  let generation = Number(script.dataset.generation);
  const OVERLAY = "__clinicsite-overlay";

  // The same element as overlay.rs writes into pages served while the site has errors.
  function showProblem(text) {
    let overlay = document.getElementById(OVERLAY);
    if (!overlay) {
      overlay = document.createElement("div");
      overlay.id = OVERLAY;
      overlay.setAttribute("role", "alertdialog");
      overlay.setAttribute("aria-modal", "true");
      overlay.setAttribute("aria-labelledby", OVERLAY + "-title");
      overlay.tabIndex = -1;
      overlay.lang = "en";
      const heading = document.createElement("p");
      heading.id = OVERLAY + "-title";
      overlay.append(heading, document.createElement("pre"));
      document.body.append(overlay);
    }
    style(overlay);
    overlay.firstElementChild.textContent =
      "This page is out of date: the site has errors. Fix them and save; this page updates by itself.";
    overlay.lastElementChild.textContent = text;
    makeModal(overlay);
  }

  // Styled from here, not with style attributes, which the site's security policy forbids
  // (setting properties from a script is allowed).
  function style(overlay) {
    overlay.style.cssText =
      "position:fixed;inset:0;z-index:2147483647;overflow:auto;margin:0;padding:1.5rem;" +
      "background:#141414;color:#fff;font:15px/1.5 system-ui,sans-serif;outline:none";
    overlay.firstElementChild.style.cssText = "margin:0 0 1rem;font-weight:bold;color:#ff8a80";
    overlay.lastElementChild.style.cssText =
      "white-space:pre-wrap;overflow-wrap:anywhere;font:14px/1.45 ui-monospace,monospace;margin:0";
  }

  // The page behind the overlay is out of date and covered: make it inert (no focus, hidden
  // from screen readers) so nothing focused can hide behind the overlay, and move focus to it.
  function makeModal(overlay) {
    for (const el of document.body.children) {
      if (el !== overlay && !el.inert) {
        el.inert = true;
        el.dataset.clinicsiteInert = "";
      }
    }
    if (document.activeElement !== overlay) overlay.focus({ preventScroll: true });
  }

  function clearProblem() {
    document.getElementById(OVERLAY)?.remove();
    for (const el of document.querySelectorAll("[data-clinicsite-inert]")) {
      el.inert = false;
      delete el.dataset.clinicsiteInert;
    }
  }

  // Swaps stylesheets in place; false when a stylesheet on the page is not accounted for.
  function swapStyles(swaps) {
    const links = [...document.querySelectorAll('link[rel~="stylesheet"]')];
    let swapped = 0;
    for (const link of links) {
      const url = new URL(link.href, location.href);
      const swap = swaps.find(([from]) => url.pathname === from);
      if (!swap) continue;
      const next = link.cloneNode();
      next.href = swap[1] + (swap[0] === swap[1] ? "?v=" + Date.now() : "");
      next.addEventListener("load", () => link.remove(), { once: true });
      link.after(next);
      swapped += 1;
    }
    return swapped > 0;
  }

  // Browsers allow only a few connections per site: hidden tabs let theirs go, and catch up
  // (reload if the site changed meanwhile) when shown again.
  let events = null;
  function connect() {
    events = new EventSource("/__clinicsite/events");
    events.addEventListener("hello", (event) => {
      const state = JSON.parse(event.data);
      if (state.generation !== generation) {
        location.reload();
      } else if (state.problem) {
        showProblem(state.problem);
      } else {
        clearProblem();
      }
    });
    events.addEventListener("reload", (event) => {
      const change = JSON.parse(event.data);
      if (change.styles && swapStyles(change.styles)) {
        generation = change.generation;
        clearProblem();
      } else {
        location.reload();
      }
    });
    events.addEventListener("problem", (event) => {
      showProblem(JSON.parse(event.data).problem);
    });
  }
  document.addEventListener("visibilitychange", () => {
    if (document.hidden && events) {
      events.close();
      events = null;
    } else if (!document.hidden && !events) {
      connect();
    }
  });
  // A page served while the site has errors already holds the overlay.
  const served = document.getElementById(OVERLAY);
  if (served) {
    style(served);
    makeModal(served);
  }
  // The panel of what `build` would stop on: the site's security policy blocks its style
  // attributes, so they are applied here, as styles set by a script are allowed.
  const panel = document.getElementById("__clinicsite-findings");
  if (panel) {
    for (const el of [panel, ...panel.querySelectorAll("[style]")]) {
      el.style.cssText = el.getAttribute("style");
    }
  }
  if (!document.hidden) connect();
})();
