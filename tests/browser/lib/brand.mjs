// The clinic's site in a second brand: a copy of the site with `brand:` added to site.yaml
// (a lighter purple and pink, a logo, another font), built into its own folder, served, and
// every page checked with axe at phone width (as loaded and with every answer opened) and at
// desktop width, where Tab walks the page and the focus ring's contrast is measured. The default brand is the main run; this proves the brand settings restyle
// the theme without breaking its contrast, focus rings or layout.

import { execFileSync } from "node:child_process";
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { axe, DESKTOP, keyboardWalk, load, newTab, PHONE, phoneLayout, screenshot } from "./page.mjs";
import { serveStatic } from "./server.mjs";

/** The second brand, as staff would write it. */
export const SECOND_BRAND = `
brand:
  primary: "#6a3d9a"
  accent: "#ffd8e4"
  logo: images/logo.svg
  font: rounded
`;

const LOGO = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 270 48"><circle cx="24" cy="24" r="20" fill="#6a3d9a"/><path d="M24 10c6 8 9 13 9 17a9 9 0 0 1-18 0c0-4 3-9 9-17z" fill="#ffd8e4"/><text x="52" y="31" font-family="Georgia, serif" font-size="19" fill="#3b1f5c">Miami Plastic Surgery</text></svg>\n`;

/**
 * Builds the site at `repo` (the copy the main run built, results section included) in the
 * second brand and checks `pages` (addresses with their expected status, as the main run
 * lists them) on it. Returns one result per page.
 */
export async function checkSecondBrand(browser, binary, repo, pages, artifacts, shots) {
  const work = await mkdtemp(join(tmpdir(), "clinicsite-brand-"));
  const results = [];
  let server = null;
  try {
    for (const part of ["site.yaml", "content", "themes"]) await cp(join(repo, part), join(work, part), { recursive: true });
    await writeFile(join(work, "site.yaml"), (await readFile(join(work, "site.yaml"), "utf8")) + SECOND_BRAND);
    await mkdir(join(work, "images"), { recursive: true });
    await writeFile(join(work, "images/logo.svg"), LOGO);
    const out = join(work, "public");
    execFileSync(binary, ["build", "--root", work, "--output-dir", out], { stdio: ["ignore", "ignore", "inherit"], env: { ...process.env, NO_COLOR: "1" } });
    server = await serveStatic(out);
    const phoneTab = await newTab(browser, PHONE);
    const desktopTab = await newTab(browser, DESKTOP);
    for (const { path, status } of pages) {
      const url = server.origin + path;
      const problems = [];
      const phone = await load(phoneTab, url, status);
      if (shots[path]) await screenshot(phone.page, artifacts, `brand-${shots[path]}-390`);
      const first = await axe(phone.page, `second brand, ${PHONE.width} px`);
      problems.push(...first.problems, ...(await phoneLayout(phone.page, "second brand")).problems);
      let violations = first.violations;
      if (await phone.page.evaluate(() => window.__probe.openDetails())) {
        const open = await axe(phone.page, "second brand, answers open");
        problems.push(...open.problems);
        violations += open.violations;
      }
      problems.push(...phone.problems);
      const desktop = await load(desktopTab, url, status);
      const wide = await axe(desktop.page, `second brand, ${DESKTOP.width} px`);
      violations += wide.violations;
      // The focus ring is drawn from the brand's colours: Tab through the page and measure it.
      await desktop.page.evaluate(() => window.__probe?.openDetails());
      const keys = await keyboardWalk(desktop.page);
      problems.push(...wide.problems, ...keys.problems, ...desktop.problems);
      const result = { label: `second brand ${path}`, problems, figures: { axe: violations } };
      results.push(result);
      console.log(`${problems.length ? "FAIL" : "ok  "} ${result.label}: axe ${violations}, tab ${keys.reached}/${keys.focusable}, ring >= ${keys.minContrast.toFixed(1)}:1`);
    }
  } finally {
    if (server) await server.close();
    await rm(work, { recursive: true, force: true });
  }
  return results;
}
