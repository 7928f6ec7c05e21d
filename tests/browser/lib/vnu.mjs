// The W3C Nu HTML Checker (vnu.jar from the vnu-jar package) over files or over HTML text.
// Resolves to a Map from each checked file to { errors: [...], warnings: [...] }.

import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);
const VNU_JAR = join(dirname(require.resolve("vnu-jar/package.json")), "build", "dist", "vnu.jar");

/** Checks `files` (HTML, or CSS with `--css`-style `extraArgs`); one Java start for all. */
export async function vnuFiles(files, extraArgs = []) {
  const report = new Map(files.map((f) => [f, { errors: [], warnings: [] }]));
  const messages = await runVnu([...extraArgs, ...files]);
  for (const m of messages) {
    const file = m.url ? fileURLToPath(m.url) : null;
    const entry = report.get(file) ?? { errors: [], warnings: [] };
    report.set(file ?? "(vnu)", entry);
    const where = m.lastLine ? `line ${m.lastLine}: ` : "";
    if (m.type === "error" || m.type === "non-document-error") entry.errors.push(where + m.message);
    else if (m.subType === "warning") entry.warnings.push(where + m.message);
  }
  return report;
}

/** Checks one HTML document given as text (read from standard input). */
export async function vnuText(html) {
  const messages = await runVnu(["-"], html);
  return {
    errors: messages.filter((m) => m.type === "error" || m.type === "non-document-error").map((m) => `line ${m.lastLine}: ${m.message}`),
    warnings: messages.filter((m) => m.subType === "warning").map((m) => `line ${m.lastLine}: ${m.message}`),
  };
}

function runVnu(args, input) {
  return new Promise((resolve, reject) => {
    const child = spawn("java", ["-jar", VNU_JAR, "--format", "json", "--exit-zero-always", ...args], {
      stdio: ["pipe", "ignore", "pipe"],
    });
    let out = "";
    child.stderr.on("data", (chunk) => (out += chunk));
    child.on("error", reject);
    child.on("close", (code) => {
      try {
        resolve(JSON.parse(out).messages);
      } catch {
        reject(new Error(`vnu.jar exited ${code} without a report:\n${out.slice(0, 2000)}`));
      }
    });
    child.stdin.end(input ?? "");
  });
}
