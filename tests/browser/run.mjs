// The browser suite: builds the clinic's site, serves the built files on loopback and checks
// every page in headless Chromium (Debian's /usr/bin/chromium), then the dev server's error
// overlay, then the site again in a second brand (lib/brand.mjs). One line per page with its
// figures; a list of every problem and exit status 1 when anything fails.
// Usage: node tests/browser/run.mjs [PART-OF-ADDRESS | self-check | overlay | brand]...
// (tests/browser/run installs the npm packages first; see README.md here)

import { execFileSync } from "node:child_process";
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { accordions, axe, AXE_TAGS, DESKTOP, keyboardWalk, kb, load, newTab, openPage, PHONE, phoneLayout, screenshot, weightAndTime } from "./lib/page.mjs";
import { checkSecondBrand } from "./lib/brand.mjs";
import { checkOverlay } from "./lib/overlay.mjs";
import { rehearse } from "./lib/rehearsal.mjs";
import { selfCheck } from "./lib/selfcheck.mjs";
import { serveStatic } from "./lib/server.mjs";
import { vnuFiles } from "./lib/vnu.mjs";

const HERE = fileURLToPath(new URL(".", import.meta.url));
const REPO = resolve(HERE, "../..");
const ARTIFACTS = join(HERE, "artifacts");
const CHROMIUM = process.env.CLINICSITE_CHROMIUM || "/usr/bin/chromium";
// What this closed network needs: no sandbox (root in a container), no GPU, and no calls home.
const CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic"];

// Pages photographed at both widths, by address.
const SCREENSHOTS = {
  "/": "home",
  "/faq/": "faq-list",
  "/faq/does-it-hurt/": "faq-entry",
  "/locations/kendall/": "location",
  "/es/": "es-home",
  "/es/faq/does-it-hurt/": "es-faq-entry",
  "/es/locations/kendall/": "es-location",
  "/this-page-does-not-exist/": "not-found",
  "/results/": "results-list",
  "/results/test-case/": "results-case",
  "/es/results/test-case/": "es-results-case",
};
// Pages checked for layout shift (the sum of Chromium's layout-shift entries must be 0): the
// results pages, whose photos load lazily as the patient scrolls.
const NO_SHIFT = /\/results\//;
// The 404 pages are checked where patients meet them: at an address that does not exist.
const MISSING = { "404.html": "/this-page-does-not-exist/", "es/404.html": "/es/esta-pagina-no-existe/" };

const started = Date.now();
const only = process.argv.slice(2);
const binary = clinicsiteBinary();
const work = await mkdtemp(join(tmpdir(), "clinicsite-browser-"));
const out = join(work, "public");
const site = await siteWithResults(join(work, "site"));
execFileSync(binary, ["build", "--root", site, "--output-dir", out], { stdio: ["ignore", "ignore", "inherit"], env: { ...process.env, NO_COLOR: "1" } });
await rm(ARTIFACTS, { recursive: true, force: true });
await mkdir(ARTIFACTS, { recursive: true });

const pages = await sitePages(out);
const results = [];

// The HTML checker first, on its own, so its Java start-up does not slow the timed page loads.
const vnu = await vnuFiles([...pages.map((p) => p.file), ...(await filesEnding(out, ".css"))], ["--also-check-css"]);
for (const [file, r] of vnu) {
  if (file.endsWith(".css") || !pages.some((p) => p.file === file)) {
    const result = { label: `vnu ${relative(out, file)}`, problems: r.errors.map((e) => `vnu: ${e}`), figures: {} };
    results.push(result);
    console.log(`${result.problems.length ? "FAIL" : "ok  "} ${result.label}: ${r.errors.length} errors, ${r.warnings.length} warnings`);
  }
}

const server = await serveStatic(out);
const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
try {
  // One throwaway load so the first measured page does not pay for starting a renderer.
  const warm = await openPage(browser, `${server.origin}/`, PHONE);
  await warm.context.close();

  if (!only.length || only.includes("self-check")) {
    const result = await selfCheck(browser);
    results.push(result);
    console.log(`${result.problems.length ? "FAIL" : "ok  "} ${result.label}`);
  }

  console.log(`Checking ${pages.length} pages at ${PHONE.width} and ${DESKTOP.width} px wide; axe tags ${AXE_TAGS.join(", ")}`);
  const tabs = {
    phone: await newTab(browser, PHONE),
    desktop: await newTab(browser, DESKTOP),
    noScript: await newTab(browser, PHONE, { javaScript: false }),
  };
  for (const entry of pages.filter((p) => !only.length || only.some((o) => p.path.includes(o)))) {
    const result = await checkPage(tabs, server.origin, entry);
    const v = vnu.get(entry.file) ?? { errors: [], warnings: [] };
    result.problems.push(...v.errors.map((e) => `vnu: ${e}`));
    result.figures.vnu = v.errors.length;
    result.figures.vnuWarnings = v.warnings.length;
    results.push(result);
    console.log(pageLine(result));
  }

  if (!only.length || only.includes("brand")) {
    results.push(...(await checkSecondBrand(browser, binary, site, pages, ARTIFACTS, SCREENSHOTS)));
  }

  if (!only.length || only.includes("rehearsal")) {
    results.push(...(await rehearse(browser, binary, REPO)));
  }

  if (!only.length || only.includes("overlay")) {
    for (const result of await checkOverlay(browser, binary, REPO, ARTIFACTS)) {
      results.push(result);
      console.log(`${result.problems.length ? "FAIL" : "ok  "} ${result.label}: axe ${result.figures.axe}, vnu ${result.figures.vnu ?? "-"}`);
    }
  }
} finally {
  await browser.close();
  await server.close();
  await rm(work, { recursive: true, force: true });
}

process.exit(summary(results));

// Every check on one page: at phone width (weight, time, axe, layout, taps, accordions),
// at desktop width (axe, Tab order and focus rings), and with JavaScript off (accordions).
async function checkPage(tabs, origin, entry) {
  const url = origin + entry.path;
  const problems = [];
  const figures = {};
  const shot = SCREENSHOTS[entry.path];

  const phone = await load(tabs.phone, url, entry.status);
  const wt = await weightAndTime(phone);
  Object.assign(figures, { bytes: wt.bytes, otherBytes: wt.otherBytes, load: wt.load, laidOut: wt.laidOut });
  problems.push(...wt.problems);
  if (shot) await screenshot(phone.page, ARTIFACTS, `${shot}-390`);
  const axePhone = await axe(phone.page, `${PHONE.width} px`);
  const layout = await phoneLayout(phone.page, "as loaded");
  problems.push(...axePhone.problems, ...layout.problems);
  figures.axe = axePhone.violations;
  figures.targets = layout.taps;
  const details = await phone.page.evaluate(() => window.__probe.openDetails());
  if (details) {
    const axeOpen = await axe(phone.page, "answers open");
    const layoutOpen = await phoneLayout(phone.page, "answers open");
    problems.push(...axeOpen.problems, ...layoutOpen.problems);
    figures.axe += axeOpen.violations;
    await phone.page.evaluate(() => window.__probe.closeDetails());
    problems.push(...(await accordions(phone.page, "JavaScript on")).problems);
  }
  problems.push(...phone.problems);

  if (NO_SHIFT.test(entry.path)) {
    figures.shift = await layoutShift(phone.page);
    if (figures.shift.total > 0) problems.push(`layout shift ${figures.shift.total.toFixed(4)} while loading and scrolling (${figures.shift.moved.join(", ")})`);
  }

  const desktop = await load(tabs.desktop, url, entry.status);
  if (shot) await screenshot(desktop.page, ARTIFACTS, `${shot}-1280`);
  const axeDesktop = await axe(desktop.page, `${DESKTOP.width} px`);
  problems.push(...axeDesktop.problems);
  figures.axe += axeDesktop.violations;
  if (details) await desktop.page.evaluate(() => window.__probe.openDetails());
  const keys = await keyboardWalk(desktop.page);
  problems.push(...keys.problems, ...desktop.problems);
  figures.tab = `${keys.reached}/${keys.focusable}`;
  figures.ringContrast = keys.minContrast;

  if (details) {
    const noScript = await load(tabs.noScript, url, entry.status);
    problems.push(...(await accordions(noScript.page, "JavaScript off")).problems, ...noScript.problems);
  }
  figures.details = details;
  return { label: entry.path, problems, figures };
}

function pageLine({ label, problems, figures: f }) {
  const taps = `${f.targets.count} targets (${f.targets.inline} in text, ${f.targets.spaced} spaced)`;
  return [
    problems.length ? "FAIL" : "ok  ",
    label.padEnd(42),
    kb(f.bytes).padStart(8),
    `${String(Math.round(f.laidOut)).padStart(4)} ms`,
    `axe ${f.axe}`,
    `vnu ${f.vnu}`,
    `tab ${f.tab}`,
    `ring >= ${Number.isFinite(f.ringContrast) ? f.ringContrast.toFixed(1) : "-"}:1`,
    taps,
    f.details ? `${f.details} accordions` : "",
    f.shift ? `shift ${f.shift.total}` : "",
  ].join("  ").trimEnd();
}

function summary(results) {
  const pages = results.filter((r) => r.figures.bytes !== undefined);
  const failed = results.filter((r) => r.problems.length);
  if (pages.length) {
    const bytes = pages.map((r) => r.figures.bytes).sort((a, b) => a - b);
    const times = pages.map((r) => r.figures.laidOut).sort((a, b) => a - b);
    console.log(
      `\n${pages.length} pages: HTML + CSS + JS ${kb(bytes[0])} to ${kb(bytes.at(-1))} (median ${kb(bytes[bytes.length >> 1])}); ` +
        `laid out in ${Math.round(times[0])} to ${Math.round(times.at(-1))} ms (median ${Math.round(times[times.length >> 1])} ms). ` +
        `Screenshots in ${relative(process.cwd(), ARTIFACTS) || "."}/`,
    );
  }
  for (const r of failed) {
    console.log(`\n${r.label}:`);
    for (const p of r.problems) console.log(`  - ${p}`);
  }
  console.log(`\nThe browser suite took ${((Date.now() - started) / 1000).toFixed(0)} s.`);
  console.log(`browser: ${results.length - failed.length} passed, ${failed.length} failed`);
  return failed.length ? 1 : 0;
}

// CLINICSITE_BIN, or the debug binary (already built when `cargo test` has run).
function clinicsiteBinary() {
  if (process.env.CLINICSITE_BIN) return process.env.CLINICSITE_BIN;
  execFileSync("cargo", ["build", "--quiet", "--bin", "clinicsite"], { cwd: REPO, stdio: "inherit" });
  return join(process.env.CARGO_TARGET_DIR || join(REPO, "target"), "debug", "clinicsite");
}

// A copy of the clinic's site with a results section added (fixtures/results/): the clinic's
// own site shows no patient photos, so the suite draws two test pictures in Chromium (a canvas
// saved as JPEG) to check a results page like the others.
async function siteWithResults(dir) {
  for (const part of ["site.yaml", "content", "themes"]) await cp(join(REPO, part), join(dir, part), { recursive: true });
  await cp(join(HERE, "fixtures/results/content"), join(dir, "content"), { recursive: true });
  const painter = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  try {
    const page = await painter.newPage();
    for (const [name, tone] of [["before", 0], ["after", 1]]) {
      const data = await page.evaluate((tone) => {
        const canvas = Object.assign(document.createElement("canvas"), { width: 1200, height: 900 });
        const g = canvas.getContext("2d");
        g.fillStyle = tone ? "#e9c4a8" : "#dcae92";
        g.fillRect(0, 0, 1200, 900);
        for (let i = 0; i < (tone ? 12 : 60); i++) {
          g.fillStyle = "rgba(150, 80, 60, 0.35)";
          g.beginPath();
          g.arc((i * 397) % 1200, (i * 211) % 900, 14 + (i % 5) * 4, 0, 2 * Math.PI);
          g.fill();
        }
        g.fillStyle = "#17262f";
        g.font = "bold 64px sans-serif";
        g.fillText(tone ? "TEST PICTURE: AFTER" : "TEST PICTURE: BEFORE", 60, 120);
        return canvas.toDataURL("image/jpeg", 0.9).split(",")[1];
      }, tone);
      await writeFile(join(dir, "content/results/test-case", `${name}.jpg`), Buffer.from(data, "base64"));
    }
  } finally {
    await painter.close();
  }
  return dir;
}

// Chromium's layout-shift entries on `page` (already loaded), added up while it is scrolled
// half a screen at a time until every image, lazy ones included, has loaded; with the
// elements that moved.
async function layoutShift(page) {
  return page.evaluate(async () => {
    const entries = [];
    const observer = new PerformanceObserver((list) => entries.push(...list.getEntries()));
    observer.observe({ type: "layout-shift", buffered: true });
    const pause = (ms) => new Promise((r) => setTimeout(r, ms));
    for (let y = 0; y <= document.documentElement.scrollHeight; y += innerHeight / 2) {
      scrollTo(0, y);
      await pause(50);
    }
    await Promise.all([...document.images].map((img) => img.decode().catch(() => {})));
    await pause(200);
    entries.push(...observer.takeRecords());
    observer.disconnect();
    scrollTo(0, 0);
    const shifts = entries.filter((e) => !e.hadRecentInput);
    const moved = shifts.flatMap((e) => (e.sources ?? []).map((s) => s.node?.nodeName?.toLowerCase() ?? "?"));
    return { total: shifts.reduce((sum, e) => sum + e.value, 0), moved: [...new Set(moved)] };
  });
}

// The built HTML pages with the address each is checked at. Alias pages (a meta refresh to
// the new address) are only validated: in a browser they leave at once.
async function sitePages(root) {
  const pages = [];
  for (const file of await filesEnding(root, ".html")) {
    const rel = relative(root, file).split("\\").join("/");
    const html = await readFile(file, "utf8");
    const entry = { file, path: "/" + rel.replace(/index\.html$/, ""), status: 200 };
    if (MISSING[rel]) Object.assign(entry, { path: MISSING[rel], status: 404 });
    if (!/http-equiv="refresh"/i.test(html)) pages.push(entry);
  }
  // English first, then the other languages, each in address order.
  const lang = (p) => (/^\/[a-z]{2}\//.test(p.path) ? p.path.slice(0, 4) : "");
  return pages.sort((a, b) => lang(a).localeCompare(lang(b)) || a.path.localeCompare(b.path));
}

async function filesEnding(dir, ending) {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile() && e.name.endsWith(ending)).map((e) => join(e.parentPath ?? e.path, e.name)).sort();
}
