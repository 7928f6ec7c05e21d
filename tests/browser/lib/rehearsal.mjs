// The deploy rehearsal: nginx, configured from the sample `init` writes (deploy/nginx.conf),
// serves the built site on loopback, with the aliases of public/_redirects turned into nginx
// rules the way the sample's notes say. Every page is opened through it with the security
// headers in force (no CSP bypass): status 200, the headers present, zero CSP violations;
// the 404 page for a missing address; every alias redirecting. A fixture page with an inline
// script and a style attribute, served the same way, must be caught, so the CSP check is
// known to work.

import { execFileSync, spawn } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

const SAMPLE = new URL("../../../deploy/nginx.conf", import.meta.url);
const CSP_FIXTURE = new URL("../fixtures/csp-inline/", import.meta.url).pathname;
const REQUIRED = ["content-security-policy", "strict-transport-security", "referrer-policy", "permissions-policy", "x-content-type-options"];

/** Starts nginx for `site` (a built public/ folder) and the CSP fixture; `{ origin, fixture, close() }`. */
export async function startNginx(site) {
  const dir = await mkdtemp(join(tmpdir(), "clinicsite-nginx-"));
  const sample = await readFile(SAMPLE, "utf8");
  const redirects = await readFile(join(site, "_redirects"), "utf8").catch(() => "");
  // The sample's own awk line, run by node: `location = FROM { return 301 TO; }`.
  const rules = redirects.split("\n").filter((l) => l.trim()).map((l) => {
    const [from, to] = l.trim().split(/\s+/);
    return `location = ${from} { return 301 ${to}; }`;
  });
  await writeFile(join(dir, "redirects.conf"), rules.join("\n") + "\n");
  const [sitePort, fixturePort] = [await freePort(), await freePort()];
  const server = (root, port) => {
    const block = sample.slice(sample.indexOf("server {"));
    const swapped = block
      .replace(/listen 80;/, `listen 127.0.0.1:${port};`)
      .replace(/root [^;]+;/, `root ${root};`)
      .replace(/include \/etc\/nginx\/clinic-redirects\.conf;/, `include ${join(dir, "redirects.conf")};`);
    if (swapped === block || !swapped.includes(`listen 127.0.0.1:${port};`) || !swapped.includes(join(dir, "redirects.conf"))) {
      throw new Error("deploy/nginx.conf changed: the rehearsal no longer finds its listen, root and include lines");
    }
    return swapped;
  };
  const conf = [
    "user root;",
    "worker_processes 1;",
    `pid ${join(dir, "nginx.pid")};`,
    `error_log ${join(dir, "error.log")} warn;`,
    "events {}",
    "http {",
    "include /etc/nginx/mime.types;",
    "default_type application/octet-stream;",
    "access_log off;",
    `client_body_temp_path ${dir}/body; proxy_temp_path ${dir}/proxy; fastcgi_temp_path ${dir}/fastcgi; uwsgi_temp_path ${dir}/uwsgi; scgi_temp_path ${dir}/scgi;`,
    server(site, sitePort),
    server(CSP_FIXTURE.replace(/\/$/, ""), fixturePort),
    "}",
  ].join("\n");
  const confPath = join(dir, "nginx.conf");
  await writeFile(confPath, conf);
  execFileSync("nginx", ["-t", "-q", "-c", confPath, "-p", dir], { stdio: "inherit" });
  const child = spawn("nginx", ["-c", confPath, "-p", dir, "-g", "daemon off;"], { stdio: "inherit" });
  const origin = `http://127.0.0.1:${sitePort}`;
  await waitFor(origin);
  return {
    origin,
    fixture: `http://127.0.0.1:${fixturePort}`,
    redirects: redirects.split("\n").filter((l) => l.trim()).map((l) => l.trim().split(/\s+/)),
    close: async () => {
      child.kill("SIGQUIT");
      await new Promise((resolve) => child.once("exit", resolve));
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Opens `url` with the headers in force; the CSP violations and console errors it caused. */
export async function cspProblems(browser, url, expectStatus) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const problems = [];
  page.on("console", (m) => {
    // A missing address's own 404 answer is expected; anything else is not.
    const own404 = expectStatus === 404 && m.location().url === url && /status of 404/.test(m.text());
    if (m.type() === "error" && !own404) problems.push(`console error: ${m.text()}`);
  });
  page.on("pageerror", (e) => problems.push(`script error: ${e.message}`));
  // Added before any of the page's own code runs, and not itself subject to the policy.
  await page.addInitScript(() => {
    window.__violations = [];
    document.addEventListener("securitypolicyviolation", (e) => {
      window.__violations.push(`${e.violatedDirective} blocked ${e.blockedURI || "inline code"} (line ${e.lineNumber})`);
    });
  });
  const response = await page.goto(url, { waitUntil: "load" });
  if (response.status() !== expectStatus) problems.push(`answered ${response.status()}, expected ${expectStatus}`);
  const headers = response.headers();
  for (const name of REQUIRED) if (!headers[name]) problems.push(`no ${name} header`);
  // Let deferred scripts, fonts and the search index load.
  await page.waitForTimeout(150);
  if (expectStatus === 404) {
    // The "page not found" page of the address's language, not the server's own.
    const lang = new URL(url).pathname.match(/^\/([a-z]{2})\//)?.[1] ?? "en";
    const shown = await page.evaluate(() => document.documentElement.lang);
    if (shown !== lang) problems.push(`the 404 page is in "${shown}", expected the site's "${lang}" one`);
  }
  const violations = await page.evaluate(() => window.__violations);
  problems.push(...violations.map((v) => `CSP violation: ${v}`));
  await context.close();
  return problems;
}

/** Every alias answers 301 with its new address. */
export async function checkRedirects(origin, redirects) {
  const problems = [];
  for (const [from, to] of redirects) {
    const response = await fetch(origin + from, { redirect: "manual" });
    const location = response.headers.get("location");
    if (response.status !== 301 || location !== to) problems.push(`${from} answered ${response.status} to ${location}, expected 301 to ${to}`);
  }
  return problems;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

async function waitFor(origin) {
  for (let i = 0; i < 100; i++) {
    try {
      await fetch(origin + "/");
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  throw new Error(`nginx did not answer at ${origin}`);
}

/**
 * The whole rehearsal: builds a copy of the clinic's site (with one old address added, so
 * a redirect is tested even while the site has none), serves it with nginx and checks every
 * page, the 404 page and the redirects; then proves the CSP check on the inline fixture.
 */
export async function rehearse(browser, binary, repo) {
  const { cp, readdir } = await import("node:fs/promises");
  const work = await mkdtemp(join(tmpdir(), "clinicsite-rehearsal-"));
  const results = [];
  let nginx = null;
  try {
    for (const part of ["site.yaml", "content", "themes"]) await cp(join(repo, part), join(work, part), { recursive: true });
    const moved = join(work, "content/faq/does-it-hurt.md");
    const text = await readFile(moved, "utf8");
    await writeFile(moved, text.replace(/^---\n/, "---\naliases: [/old-faq/pain/]\n"));
    execFileSync(binary, ["build", "--root", work, "--base-url", "https://clinic.example/"], { stdio: ["ignore", "ignore", "inherit"], env: { ...process.env, NO_COLOR: "1" } });
    const out = join(work, "public");
    nginx = await startNginx(out);
    const entries = await readdir(out, { recursive: true, withFileTypes: true });
    const pages = [];
    for (const e of entries.filter((e) => e.isFile() && e.name.endsWith(".html"))) {
      const file = join(e.parentPath ?? e.path, e.name);
      const rel = file.slice(out.length + 1);
      if (/http-equiv="refresh"/i.test(await readFile(file, "utf8"))) continue;
      if (rel.endsWith("404.html")) pages.push({ path: `/${rel.replace("404.html", "")}no-such-page/`, status: 404 });
      else pages.push({ path: "/" + rel.replace(/index\.html$/, ""), status: 200 });
    }
    pages.sort((a, b) => a.path.localeCompare(b.path));
    for (const { path, status } of pages) {
      const problems = await cspProblems(browser, nginx.origin + path, status);
      results.push({ label: `nginx ${path}`, problems, figures: {} });
      console.log(`${problems.length ? "FAIL" : "ok  "} nginx ${path}: ${status}, headers, ${problems.length} problems`);
    }
    const redirects = await checkRedirects(nginx.origin, nginx.redirects);
    if (!nginx.redirects.length) redirects.push("the rehearsal site has no aliases: nothing to redirect");
    results.push({ label: `nginx redirects (${nginx.redirects.length})`, problems: redirects, figures: {} });
    console.log(`${redirects.length ? "FAIL" : "ok  "} nginx: ${nginx.redirects.length} old addresses redirect with 301`);
    const caught = await cspProblems(browser, nginx.fixture + "/", 200);
    const selfCheck = caught.filter((p) => p.startsWith("CSP violation")).length >= 2 ? [] : [`the CSP check missed the inline script and style in fixtures/csp-inline/ (found: ${caught.join("; ") || "nothing"})`];
    results.push({ label: "self-check: the CSP check catches fixtures/csp-inline/", problems: selfCheck, figures: {} });
    console.log(`${selfCheck.length ? "FAIL" : "ok  "} self-check: CSP violations caught on fixtures/csp-inline/: ${caught.length}`);
  } finally {
    if (nginx) await nginx.close();
    await rm(work, { recursive: true, force: true });
  }
  return results;
}
