// A tiny static file server for the built site, on loopback only. It serves the files exactly
// as `clinicsite build` wrote them (no reload script, no compression), so what the browser
// checks is what a web host would send. Missing addresses get the 404 page of their language
// with status 404, the way Netlify, GitHub Pages and Cloudflare Pages do.

import { createServer } from "node:http";
import { readFile, stat } from "node:fs/promises";
import { extname, join, normalize, sep } from "node:path";

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".json": "application/json",
  ".webmanifest": "application/manifest+json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".webp": "image/webp",
  ".xml": "application/xml",
  ".txt": "text/plain; charset=utf-8",
};

/** Starts serving `root`; resolves to `{ origin, close() }`. */
export async function serveStatic(root) {
  const server = createServer(async (req, res) => {
    try {
      const { status, body, type } = await lookup(root, new URL(req.url, "http://x").pathname);
      res.writeHead(status, { "content-type": type, "content-length": body.length });
      res.end(req.method === "HEAD" ? undefined : body);
    } catch (error) {
      res.writeHead(500, { "content-type": "text/plain" });
      res.end(String(error));
    }
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address();
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

async function lookup(root, pathname) {
  const file = await existingFile(root, decodeURIComponent(pathname));
  if (file) return { status: 200, body: await readFile(file), type: typeOf(file) };
  // The 404 page of the language the address is in: /es/... gets es/404.html.
  const lang = pathname.match(/^\/([a-z]{2})\//)?.[1];
  const notFound = (lang && (await existingFile(root, `/${lang}/404.html`))) || join(root, "404.html");
  return { status: 404, body: await readFile(notFound), type: TYPES[".html"] };
}

// The file an address names inside `root` (a folder means its index.html), or null.
async function existingFile(root, pathname) {
  const path = normalize(join(root, pathname));
  if (path !== root && !path.startsWith(root + sep)) return null;
  for (const candidate of [path, join(path, "index.html")]) {
    const info = await stat(candidate).catch(() => null);
    if (info?.isFile()) return candidate;
  }
  return null;
}

function typeOf(file) {
  return TYPES[extname(file)] ?? "application/octet-stream";
}
