// Checks the checks: fixtures/broken/ has one known fault for each of them, and each must
// report it. A check that silently stopped working would otherwise pass every page.

import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { accordions, axe, DESKTOP, keyboardWalk, openPage, PHONE, phoneLayout, weightAndTime } from "./page.mjs";
import { serveStatic } from "./server.mjs";
import { vnuFiles } from "./vnu.mjs";

const FIXTURE = new URL("../fixtures/broken/", import.meta.url);

/** Resolves to one result: its problems name every check that missed its fault. */
export async function selfCheck(browser) {
  const dir = await mkdtemp(join(tmpdir(), "clinicsite-selfcheck-"));
  await cp(FIXTURE, dir, { recursive: true });
  // Over the weight budget without committing 60 KB of filler.
  const page = join(dir, "index.html");
  await writeFile(page, (await readFile(page, "utf8")).replace("<!-- PADDING -->", `<!-- ${"x".repeat(62 * 1024)} -->`));
  const server = await serveStatic(dir);
  const found = [];
  try {
    const phone = await openPage(browser, `${server.origin}/`, PHONE);
    found.push(...(await weightAndTime(phone)).problems);
    found.push(...(await axe(phone.page, "self-check")).problems);
    found.push(...(await phoneLayout(phone.page, "self-check")).problems);
    found.push(...(await accordions(phone.page, "self-check")).problems);
    await phone.context.close();
    const desktop = await openPage(browser, `${server.origin}/`, DESKTOP);
    found.push(...(await keyboardWalk(desktop.page)).problems);
    await desktop.context.close();
    found.push(...(await vnuFiles([page])).get(page).errors.map((e) => `vnu: ${e}`));
  } finally {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  }
  if (process.env.SELFCHECK_VERBOSE) console.log(found.join("\n"));
  const expected = {
    "page weight": /over the .* budget/,
    "layout time": /laid out after/,
    "layout shift": /layout shift .* moved as the page loaded/,
    "render-blocking script": /render-blocking script/,
    "axe (missing alt text)": /axe image-alt/,
    "axe (contrast)": /axe color-contrast/,
    "sideways scrolling": /scrolls sideways/,
    "tap target size": /tap target/,
    "accordion": /does not open/,
    "focus ring": /shows no focus ring/,
    "HTML checker": /vnu: .*[Dd]uplicate ID/,
  };
  const problems = Object.entries(expected)
    .filter(([, pattern]) => !found.some((p) => pattern.test(p)))
    .map(([check]) => `the ${check} check missed its fault in fixtures/broken/`);
  return { label: "self-check: each check catches its fault in fixtures/broken/", problems, figures: { caught: found.length } };
}
