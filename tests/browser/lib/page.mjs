// The checks on one page, in headless Chromium through playwright-core. Each returns its
// figures and a list of problems (plain sentences); run.mjs decides what fails.

import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";

const require = createRequire(import.meta.url);
const AXE_PATH = require.resolve("axe-core/axe.min.js");
const PROBE = readFileSync(new URL("./probe.js", import.meta.url), "utf8");
export const AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];

export const PHONE = { width: 390, height: 844 };
export const DESKTOP = { width: 1280, height: 800 };
const BUDGET_BYTES = 60 * 1024;
const BUDGET_MS = 1000;

// Resource types that count towards the page weight: HTML, CSS and JavaScript (and anything
// a script fetches). Images, icons and the web app manifest are left out of the budget.
const WEIGHED = new Set(["document", "stylesheet", "script", "fetch", "xhr"]);

// Set in every page before its own scripts: the moment the first frame after `load` has been
// laid out, measured from the start of navigation; and every layout shift (Chromium's
// `layout-shift` entries, as Lighthouse's CLS adds them up) with the elements that moved, each
// with its box before and after (x,y width x height, in CSS pixels).
const LAID_OUT_PROBE = `addEventListener("load", () => requestAnimationFrame(() => {
  document.documentElement.getBoundingClientRect();
  window.__laidOutAt = performance.now();
}));
window.__layoutShift = { total: 0, moved: [] };
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    if (entry.hadRecentInput) continue;
    window.__layoutShift.total += entry.value;
    for (const source of entry.sources || []) {
      const node = source.node;
      const name = !node ? "an element" : node.nodeType !== 1 ? "text" :
        node.tagName.toLowerCase() + (node.id ? "#" + node.id : node.classList.length ? "." + [...node.classList].join(".") : "");
      const [a, b] = [source.previousRect, source.currentRect].map((r) => r ? [r.x, r.y].map(Math.round).join(",") + " " + [r.width, r.height].map(Math.round).join("x") : "none");
      window.__layoutShift.moved.push(name + " (" + a + " to " + b + ")");
    }
  }
}).observe({ type: "layout-shift", buffered: true });`;

/**
 * A browser tab at one viewport size that stays open from page to page (a new browser
 * context per page costs most of a second here), with the HTTP cache turned off so every
 * page loads cold and its weight counts every file. `load()` opens the next page.
 */
export async function newTab(browser, viewport, { javaScript = true, bypassCSP = false } = {}) {
  const context = await browser.newContext({ viewport, javaScriptEnabled: javaScript, reducedMotion: "reduce", bypassCSP });
  if (javaScript) await context.addInitScript(LAID_OUT_PROBE);
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
  // What the page being checked did; load() starts a new record for each page.
  const tab = { context, page, url: "", expectStatus: 200, problems: [], sizes: [] };
  page.on("request", (req) => {
    if (!req.url().startsWith(new URL(tab.url).origin) && !req.url().startsWith("data:")) tab.problems.push(`asks another site for ${req.url()}`);
  });
  // A size still being read when the tab closes rejects; kept as a problem, never as an
  // unhandled rejection that would stop the whole run.
  page.on("requestfinished", (req) =>
    tab.sizes.push(
      req
        .sizes()
        .then((s) => ({ type: req.resourceType(), bytes: s.responseBodySize + s.responseHeadersSize }))
        .catch((error) => ({ type: req.resourceType(), bytes: 0, error: `could not weigh ${req.url()}: ${error.message}` })),
    ),
  );
  page.on("requestfailed", (req) => tab.problems.push(`could not load ${req.url()}: ${req.failure()?.errorText}`));
  page.on("response", (res) => {
    const isDocument = res.request().resourceType() === "document";
    if (res.status() >= 400 && !(isDocument && res.status() === tab.expectStatus)) tab.problems.push(`${res.url()} answered ${res.status()}`);
  });
  page.on("pageerror", (error) => tab.problems.push(`script error: ${error.message}`));
  page.on("console", (msg) => {
    // Chromium logs the expected 404 of a "page not found" address as an error: not a problem.
    const expected404 = tab.expectStatus === 404 && msg.location().url === tab.url && msg.text().includes("404");
    if (msg.type() === "error" && !expected404) tab.problems.push(`console error: ${msg.text()}`);
  });
  return tab;
}

/** Opens `url` in `tab`; its problems and sizes from then on belong to this page. */
export async function load(tab, url, expectStatus = 200) {
  Object.assign(tab, { url, expectStatus, problems: [], sizes: [] });
  const response = await tab.page.goto(url, { waitUntil: "load" });
  if (response.status() !== expectStatus) tab.problems.push(`answered ${response.status()}, expected ${expectStatus}`);
  await tab.page.evaluate(PROBE);
  return tab;
}

/** A new tab with `url` open in it: for one-off pages. */
export async function openPage(browser, url, viewport, { javaScript = true, expectStatus = 200, bypassCSP = false } = {}) {
  return load(await newTab(browser, viewport, { javaScript, bypassCSP }), url, expectStatus);
}

/**
 * Bytes of HTML + CSS + JS, the load and laid-out times, and the layout shift once every
 * image has loaded; problems over budget, and any shift at all.
 */
export async function weightAndTime(opened) {
  const { page, sizes } = opened;
  await page.waitForFunction(() => window.__laidOutAt !== undefined);
  const shift = await layoutShift(page);
  const all = await Promise.all(sizes);
  const bytes = all.filter((s) => WEIGHED.has(s.type)).reduce((sum, s) => sum + s.bytes, 0);
  const otherBytes = all.filter((s) => !WEIGHED.has(s.type)).reduce((sum, s) => sum + s.bytes, 0);
  const timing = await page.evaluate(() => {
    const nav = performance.getEntriesByType("navigation")[0];
    return { load: nav.loadEventEnd, laidOut: window.__laidOutAt };
  });
  const blocking = await page.evaluate(() => window.__probe.blockingScripts());
  const problems = all.filter((s) => s.error).map((s) => s.error);
  if (bytes > BUDGET_BYTES) problems.push(`HTML + CSS + JS is ${kb(bytes)}, over the ${kb(BUDGET_BYTES)} budget`);
  if (timing.laidOut > BUDGET_MS) problems.push(`laid out after ${Math.round(timing.laidOut)} ms, over ${BUDGET_MS} ms`);
  for (const s of blocking) problems.push(`render-blocking script in <head>: ${s}`);
  if (shift.total > 0) {
    problems.push(`layout shift ${shift.total.toFixed(4)} (should be 0): ${[...new Set(shift.moved)].slice(0, 5).join(", ") || "no element named"} moved as the page loaded`);
  }
  return { bytes, otherBytes, ...timing, shift: shift.total, problems };
}

/**
 * Scrolls through the page half a screen at a time, so every lazy image comes into view and
 * loads (a photo without its width and height pushes the text down when it arrives), waits
 * for every image, scrolls back to the top and returns the layout shift added up since the
 * page started loading. Scrolling itself is no layout shift.
 */
async function layoutShift(page) {
  return page.evaluate(async () => {
    const frame = () => new Promise((done) => requestAnimationFrame(() => setTimeout(done, 30)));
    for (let y = 0; y < document.documentElement.scrollHeight; y += innerHeight / 2) {
      scrollTo(0, y);
      await frame();
    }
    // An image in a closed answer never loads: waited for 3 s at most.
    const pending = [...document.images].filter((img) => !img.complete && img.getClientRects().length);
    const loaded = (img) =>
      new Promise((done) => {
        img.addEventListener("load", done, { once: true });
        img.addEventListener("error", done, { once: true });
      });
    await Promise.race([Promise.all(pending.map(loaded)), new Promise((done) => setTimeout(done, 3000))]);
    await frame();
    await frame();
    scrollTo(0, 0);
    await frame();
    return window.__layoutShift ?? { total: 0, moved: [] };
  });
}

/** axe-core with the WCAG 2.0/2.1/2.2 A and AA rules: the number of failing elements and why. */
export async function axe(page, label) {
  if (!(await page.evaluate(() => "axe" in window))) await page.addScriptTag({ path: AXE_PATH });
  const result = await page.evaluate(async (tags) => {
    const r = await window.axe.run(document, { runOnly: { type: "tag", values: tags }, resultTypes: ["violations"] });
    return r.violations.map((v) => ({ id: v.id, help: v.help, nodes: v.nodes.map((n) => n.target.join(" ")) }));
  }, AXE_TAGS);
  const problems = result.map((v) => `axe ${v.id} (${label}): ${v.help}; ${v.nodes.length} element(s), e.g. ${v.nodes.slice(0, 3).join(", ")}`);
  return { violations: result.reduce((n, v) => n + v.nodes.length, 0), problems };
}

/** At phone width: no sideways scrolling and tap targets of 24 x 24 px (WCAG 2.5.8). */
export async function phoneLayout(page, label) {
  await page.evaluate(PROBE);
  const wide = await page.evaluate(() => window.__probe.overflow());
  const taps = await page.evaluate(() => window.__probe.tapTargets());
  const problems = [];
  if (wide.scrollWidth > wide.clientWidth) {
    problems.push(`scrolls sideways at ${PHONE.width} px (${label}): ${wide.scrollWidth} px wide; ${wide.wide.join("; ")}`);
  }
  for (const f of taps.failures) problems.push(`tap target (${label}): ${f}`);
  return { taps, problems };
}

/** Every focusable element is reached with Tab and shows a visible focus ring. */
export async function keyboardWalk(page) {
  await page.evaluate(PROBE);
  const expected = await page.evaluate(() => window.__probe.tagFocusables());
  const reached = new Set();
  const problems = [];
  let minContrast = Infinity;
  for (let step = 0; step < expected.length + 5; step++) {
    await page.keyboard.press("Tab");
    const f = await page.evaluate(() => window.__probe.focused());
    if (f.index === null && !f.name) break; // focus has left the page: the walk is over
    if (f.index === null) {
      problems.push(`focus: Tab reaches ${f.name}, which is not a link, button or form field`);
      continue;
    }
    if (reached.has(f.index)) break; // back at the start
    reached.add(f.index);
    if (f.contrast !== null) minContrast = Math.min(minContrast, f.contrast);
    for (const p of f.problems) problems.push(`focus: ${f.name} ${p}`);
  }
  expected.forEach((name, i) => reached.has(i) || problems.push(`focus: Tab never reaches ${name}`));
  return { focusable: expected.length, reached: reached.size, minContrast, problems };
}

/** Each <details> opens and closes with Enter and with Space, and shows its contents. */
export async function accordions(page, label) {
  const problems = [];
  const count = await page.locator("details").count();
  for (let i = 0; i < count; i++) {
    const details = page.locator("details").nth(i);
    const summary = details.locator("summary").first();
    const body = details.locator(":scope > :not(summary)").first();
    const name = (await summary.innerText()).trim();
    for (const key of ["Enter", "Space"]) {
      await summary.focus();
      await page.keyboard.press(key);
      const opened = (await details.getAttribute("open")) !== null && (await body.isVisible());
      await page.keyboard.press(key);
      const closed = (await details.getAttribute("open")) === null && !(await body.isVisible());
      if (!opened) problems.push(`accordion (${label}): ${key} does not open "${name}"`);
      if (!closed) problems.push(`accordion (${label}): ${key} does not close "${name}"`);
    }
  }
  return { count, problems };
}

export async function screenshot(page, dir, name, fullPage = true) {
  const path = join(dir, `${name}.png`);
  await page.screenshot({ path, fullPage });
  return path;
}

export function kb(bytes) {
  return `${(bytes / 1024).toFixed(1)} KB`;
}
