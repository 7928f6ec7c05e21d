// The dev server's error overlay: `clinicsite serve` on a copy of the clinic's site, one
// page open, then a broken front matter. The overlay must appear on the open page (built by
// the live script) and on a freshly loaded page (added by the server), pass axe and the HTML
// checker, fit a phone screen, and go away once the file is fixed.

import { spawn } from "node:child_process";
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { axe, openPage, phoneLayout, keyboardWalk, screenshot, PHONE } from "./page.mjs";
import { cspProblems } from "./rehearsal.mjs";
import { vnuText } from "./vnu.mjs";

const OVERLAY = "#__clinicsite-overlay";
const BROKEN_FILE = "content/faq/does-it-hurt.md";

/** Runs the overlay checks; resolves to a list of { label, problems, figures } results. */
export async function checkOverlay(browser, binary, siteRoot, artifacts) {
  const copy = await mkdtemp(join(tmpdir(), "clinicsite-overlay-"));
  for (const part of ["site.yaml", "content", "themes"]) await cp(join(siteRoot, part), join(copy, part), { recursive: true });
  const server = await startServe(binary, copy);
  const results = [];
  try {
    const url = `${server.origin}faq/does-it-hurt/`;
    // serve sends the site's security policy, which also forbids the inline script axe is
    // injected as: these tabs bypass it, and one load below checks the overlay under it.
    const open = await openPage(browser, url, PHONE, { bypassCSP: true });
    const original = await readFile(join(copy, BROKEN_FILE), "utf8");
    // An unclosed list in the front matter: a YAML error the staff could easily make.
    await writeFile(join(copy, BROKEN_FILE), original.replace(/^title: .*$/m, "title: [Does microneedling hurt?"));

    await open.page.waitForSelector(OVERLAY, { timeout: 10_000 });
    results.push(await overlayResult("overlay shown on an open page (live script)", open, artifacts, "overlay-live-390"));

    const fresh = await openPage(browser, url, PHONE, { bypassCSP: true });
    const policy = await cspProblems(browser, url, 200);
    results.push({ label: "overlay under the site's security policy", problems: policy, figures: { axe: "-" } });
    const served = await (await fetch(url)).text();
    const result = await overlayResult("overlay on a page loaded while broken (server)", fresh, artifacts, "overlay-served-390");
    if (!served.includes('id="__clinicsite-overlay"')) result.problems.push("the server did not add the overlay to the page");
    const html = await vnuText(served);
    result.problems.push(...html.errors.map((e) => `vnu: ${e}`));
    result.figures.vnu = html.errors.length;
    results.push(result);

    // Fixing the file takes the overlay away by itself (the page reloads).
    await writeFile(join(copy, BROKEN_FILE), original);
    const gone = await fresh.page
      .waitForFunction((sel) => !document.querySelector(sel), OVERLAY, { timeout: 10_000 })
      .then(() => true, () => false);
    if (!gone) results.at(-1).problems.push("the overlay stayed after the file was fixed");
    await open.context.close();
    await fresh.context.close();
  } finally {
    server.stop();
    await rm(copy, { recursive: true, force: true });
  }
  return results;
}

async function overlayResult(label, opened, artifacts, shot) {
  const { page } = opened;
  // The reload script keeps an event stream open, so the page is never "idle"; wait for the
  // overlay itself instead.
  const focusInOverlay = await page.evaluate((sel) => !!document.activeElement?.closest(sel), OVERLAY);
  const a = await axe(page, "overlay");
  const layout = await phoneLayout(page, "overlay");
  const keys = await keyboardWalk(page);
  // The overlay is fixed to the screen, so a full-page picture would leave it out.
  await screenshot(page, artifacts, shot, false);
  const problems = [...opened.problems, ...a.problems, ...layout.problems, ...keys.problems];
  if (!focusInOverlay) problems.push("focus is not on the overlay, so keyboard and screen reader users miss it");
  const text = await page.locator(OVERLAY).innerText();
  if (!text.includes(BROKEN_FILE)) problems.push("the overlay does not name the broken file");
  return { label, problems, figures: { axe: a.violations, focusable: keys.focusable } };
}

// Starts `clinicsite serve` on a free port and waits for its "Serving ... at URL" line.
function startServe(binary, root) {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, ["serve", "--root", root, "--port", "0"], { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, NO_COLOR: "1" } });
    let out = "";
    const timer = setTimeout(() => reject(new Error(`clinicsite serve did not start:\n${out}`)), 30_000);
    const onData = (chunk) => {
      out += chunk;
      const match = out.match(/Serving .* at (http:\/\/\S+\/)/);
      if (match) {
        clearTimeout(timer);
        resolve({ origin: match[1], stop: () => child.kill() });
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.on("exit", (code) => reject(new Error(`clinicsite serve exited ${code}:\n${out}`)));
  });
}
