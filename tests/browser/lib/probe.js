// Runs inside the page (evaluated as one expression by run.mjs, so it adds nothing to the DOM).
// Defines window.__probe: measurements the suite takes from the laid-out page. Every function
// returns plain data; the pass/fail decisions are made here so the rules sit in one place.
(() => {
  // Anything a finger or a pointer can activate (WCAG 2.5.8 calls these targets).
  const TARGETS = "a[href], button, summary, input:not([type=hidden]), select, textarea";
  // Anything that should be reachable with Tab; tabindex="-1" opts out on purpose (the heading
  // anchors: aria-hidden and mouse-only, the heading itself is reachable from the page's list).
  const FOCUSABLE =
    "a[href]:not([tabindex='-1']), button:not([disabled]):not([tabindex='-1'])," +
    " input:not([type=hidden]):not([disabled]):not([tabindex='-1'])," +
    " select:not([disabled]):not([tabindex='-1']), textarea:not([disabled]):not([tabindex='-1'])," +
    " details > summary:first-of-type:not([tabindex='-1']), [tabindex]:not([tabindex='-1'])";

  // A short, readable name for an element in a failure message.
  function describe(el) {
    let name = el.tagName.toLowerCase();
    if (el.id) name += "#" + el.id;
    else if (el.classList.length) name += "." + [...el.classList].join(".");
    const text = (el.innerText || el.value || el.getAttribute("aria-label") || "").trim();
    return text ? `${name} "${text.replace(/\s+/g, " ").slice(0, 40)}"` : name;
  }

  // Rendered at all: not inert, has a box, is not visibility:hidden, and is not the 1 px
  // "visually hidden" pattern (text for screen readers only, never a pointer target).
  function rendered(el) {
    if (el.closest("[inert]")) return false;
    const rect = el.getBoundingClientRect();
    if (!el.getClientRects().length || rect.width === 0 || rect.height === 0) return false;
    const style = getComputedStyle(el);
    if (style.visibility === "hidden") return false;
    return !(rect.width <= 1 && rect.height <= 1);
  }

  function overflow() {
    const root = document.scrollingElement;
    const limit = document.documentElement.clientWidth;
    const wide = [];
    if (root.scrollWidth > limit) {
      for (const el of document.body.querySelectorAll("*")) {
        const rect = el.getBoundingClientRect();
        // Report the outermost culprits only: an element whose parent already sticks out is noise.
        const parent = el.parentElement.getBoundingClientRect();
        if (rect.right > limit + 0.5 && !(parent.right > limit + 0.5) && rendered(el)) {
          wide.push(`${describe(el)} reaches ${Math.round(rect.right)} px`);
        }
      }
    }
    return { scrollWidth: root.scrollWidth, clientWidth: limit, innerWidth, wide: wide.slice(0, 5) };
  }

  // WCAG 2.2 SC 2.5.8 Target Size (Minimum): 24 x 24 CSS px, or one of its exceptions:
  // - spacing: a 24 px circle centred on an undersized target's box touches no other target
  //   and no other undersized target's circle;
  // - inline: the target sits in a sentence (display:inline inside a block with other text),
  //   so its height is set by the line of text around it.
  // The "equivalent", "user agent control" and "essential" exceptions are not claimed.
  function tapTargets() {
    const targets = [...document.querySelectorAll(TARGETS)].filter(rendered).map((el) => {
      const r = el.getBoundingClientRect();
      return { el, r, cx: r.left + r.width / 2, cy: r.top + r.height / 2, small: r.width < 24 || r.height < 24 };
    });
    const failures = [];
    let inline = 0;
    let spaced = 0;
    for (const t of targets) {
      if (!t.small) continue;
      if (inSentence(t.el)) {
        inline += 1;
        continue;
      }
      const clash = targets.find(
        (o) => o !== t && (distanceToRect(t.cx, t.cy, o.r) < 12 || (o.small && Math.hypot(t.cx - o.cx, t.cy - o.cy) < 24)),
      );
      if (clash) {
        failures.push(`${describe(t.el)} is ${Math.round(t.r.width)}x${Math.round(t.r.height)} px, too close to ${describe(clash.el)}`);
      } else {
        spaced += 1;
      }
    }
    return { count: targets.length, inline, spaced, failures };
  }

  function inSentence(el) {
    if (getComputedStyle(el).display !== "inline") return false;
    let block = el.parentElement;
    while (block && getComputedStyle(block).display === "inline") block = block.parentElement;
    if (!block) return false;
    // The block's own words, leaving out every target's words.
    const copy = block.cloneNode(true);
    copy.querySelectorAll(TARGETS).forEach((t) => t.remove());
    return /\p{L}{2,}/u.test(copy.textContent);
  }

  function distanceToRect(x, y, r) {
    const dx = Math.max(r.left - x, 0, x - r.right);
    const dy = Math.max(r.top - y, 0, y - r.bottom);
    return Math.hypot(dx, dy);
  }

  // Opens every <details> (their contents are not rendered while closed), remembering which
  // were closed so closeDetails() can put the page back.
  function openDetails() {
    const closed = [...document.querySelectorAll("details:not([open])")];
    closed.forEach((d) => {
      d.open = true;
      d.dataset.probeOpened = "";
    });
    return closed.length;
  }

  function closeDetails() {
    document.querySelectorAll("details[data-probe-opened]").forEach((d) => {
      d.open = false;
      delete d.dataset.probeOpened;
    });
  }

  // Numbers every element that should take focus and records how it looks unfocused, so
  // focused() can tell whether focus changes its look.
  function tagFocusables() {
    document.activeElement?.blur();
    const list = [...document.querySelectorAll(FOCUSABLE)].filter((el) => !el.closest("[inert]") && (rendered(el) || isSkipLink(el)));
    window.__probeUnfocused = list.map((el, i) => {
      el.dataset.probeIndex = String(i);
      return ring(el);
    });
    return list.map(describe);
  }

  // The skip link sits off screen until it has focus, so it has a box but not in the viewport.
  function isSkipLink(el) {
    return el.matches("a[href^='#']") && el.getBoundingClientRect().height > 0;
  }

  function ring(el) {
    const s = getComputedStyle(el);
    return { outlineStyle: s.outlineStyle, outlineWidth: parseFloat(s.outlineWidth), outlineColor: s.outlineColor, boxShadow: s.boxShadow };
  }

  // The element that has focus now: which one, whether it is on screen, and whether its focus
  // indicator is visible: an outline at least 2 px wide (or a box-shadow) that was not there
  // unfocused, with at least 3:1 contrast against what surrounds it (WCAG 1.4.11).
  function focused() {
    const el = document.activeElement;
    if (!el || el === document.body || el === document.documentElement) return { index: null };
    const index = el.dataset.probeIndex === undefined ? null : Number(el.dataset.probeIndex);
    const now = ring(el);
    const before = index === null ? null : window.__probeUnfocused[index];
    const r = el.getBoundingClientRect();
    const onScreen = r.width > 0 && r.height > 0 && r.bottom > 0 && r.right > 0 && r.top < innerHeight && r.left < innerWidth;
    // "auto" is the browser's own two-tone focus ring, drawn whatever the width says.
    const outline = now.outlineStyle !== "none" && (now.outlineStyle === "auto" || now.outlineWidth >= 2);
    const shadow = now.boxShadow !== "none" && (!before || before.boxShadow !== now.boxShadow);
    const changed = !before || before.outlineStyle !== now.outlineStyle || before.outlineWidth !== now.outlineWidth || before.boxShadow !== now.boxShadow;
    let contrast = null;
    if (outline && now.outlineStyle !== "auto") {
      const bg = backgroundBehind(el.parentElement);
      const fg = parseColour(now.outlineColor);
      contrast = fg && bg ? contrastRatio(fg, bg) : null;
    }
    const problems = [];
    if (!onScreen) problems.push("is off screen when focused");
    else if (covered(el)) problems.push("is hidden behind other content when focused (WCAG 2.4.11)");
    if (opacity(el) < 0.5) problems.push("is see-through when focused");
    if (!(outline || shadow) || !changed) problems.push("shows no focus ring");
    else if (outline && contrast !== null && contrast < 3) problems.push(`focus ring contrast ${contrast.toFixed(2)}:1 is under 3:1`);
    return { index, name: describe(el), contrast, problems };
  }

  // True when no part of the element can be seen: at the centre and near the corners of each
  // of its boxes, the topmost thing on screen is something else (not it, not its contents).
  function covered(el) {
    for (const r of el.getClientRects()) {
      const inset = Math.min(3, r.width / 4, r.height / 4);
      const points = [
        [r.left + r.width / 2, r.top + r.height / 2],
        [r.left + inset, r.top + inset],
        [r.right - inset, r.top + inset],
        [r.left + inset, r.bottom - inset],
        [r.right - inset, r.bottom - inset],
      ];
      for (const [x, y] of points) {
        const top = document.elementFromPoint(x, y);
        if (top && (top === el || el.contains(top))) return false;
      }
    }
    return true;
  }

  function opacity(el) {
    let value = 1;
    for (let node = el; node; node = node.parentElement) value *= Number(getComputedStyle(node).opacity);
    return value;
  }

  // The colour a ring drawn around an element's box lands on: the nearest opaque background
  // up the tree, with any translucent layers above it mixed in.
  function backgroundBehind(el) {
    const layers = [];
    for (let node = el; node; node = node.parentElement) {
      const c = parseColour(getComputedStyle(node).backgroundColor);
      if (c && c[3] > 0) layers.push(c);
      if (c && c[3] >= 1) break;
    }
    let colour = [255, 255, 255];
    for (const [r, g, b, a] of layers.reverse()) {
      colour = [r * a + colour[0] * (1 - a), g * a + colour[1] * (1 - a), b * a + colour[2] * (1 - a)];
    }
    return colour;
  }

  function parseColour(text) {
    const m = text.match(/^rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)(?:,\s*([\d.]+))?\)$/);
    return m ? [Number(m[1]), Number(m[2]), Number(m[3]), m[4] === undefined ? 1 : Number(m[4])] : null;
  }

  function contrastRatio(a, b) {
    const lum = ([r, g, b]) => {
      const f = (v) => ((v /= 255) <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
      return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
    };
    const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
    return (hi + 0.05) / (lo + 0.05);
  }

  // Scripts in <head> that hold up the first paint: classic scripts without defer or async.
  // JSON-LD and other data blocks are not run, so they do not block.
  function blockingScripts() {
    const js = /^(|text\/javascript|application\/javascript|module)$/i;
    return [...document.head.querySelectorAll("script")]
      .filter((s) => js.test((s.getAttribute("type") || "").trim()))
      .filter((s) => !(s.type === "module" || (s.src && (s.defer || s.async))))
      .map((s) => s.outerHTML.slice(0, 80));
  }

  window.__probe = { overflow, tapTargets, openDetails, closeDetails, tagFocusables, focused, blockingScripts };
})();
