import { readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Context } from "hono";

/** The built UI in the package (`npm run build` writes it): dist/studio, found upwards from this file. */
export function defaultAssetsDir(): string {
  let directory = path.dirname(fileURLToPath(import.meta.url));
  for (let depth = 0; depth < 6; depth++) {
    try {
      const manifest = JSON.parse(readFileSync(path.join(directory, "package.json"), "utf8")) as {
        name?: string;
      };
      if (manifest.name === "flowops") return path.join(directory, "dist", "studio");
    } catch {
      // not here: look one folder up
    }
    directory = path.dirname(directory);
  }
  return path.resolve("dist", "studio");
}

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".map": "application/json; charset=utf-8",
};

/** The UI's own files only: everything else is the page, which routes in the browser. */
const ASSET = /^\/assets\/([\w-]+\.(?:js|css)(?:\.map)?)$/;

export const SECURITY_HEADERS = {
  "content-security-policy":
    "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
};

/** Serves the bundled UI: `/assets/*` files, and index.html for every page address. */
export function createAssetHandler(assetsDir: string) {
  const cache = new Map<string, Buffer>();
  const load = async (name: string): Promise<Buffer | undefined> => {
    let content = cache.get(name);
    if (!content) {
      try {
        content = await readFile(path.join(assetsDir, name));
      } catch {
        return undefined;
      }
      cache.set(name, content);
    }
    return content;
  };
  return async (c: Context): Promise<Response> => {
    const asset = ASSET.exec(c.req.path);
    const name = asset ? path.join("assets", asset[1]!) : "index.html";
    const content = await load(name);
    if (!content) {
      if (asset)
        return c.json({ error: { code: "NotFound", message: `No studio file ${c.req.path}.` } }, 404);
      return c.text(
        "The studio UI is not built: run 'npm run build' (it bundles the UI into dist/studio).",
        503,
      );
    }
    const extension = path.extname(name);
    return new Response(new Uint8Array(content), {
      headers: {
        "content-type": TYPES[extension] ?? "application/octet-stream",
        "cache-control": asset ? "public, max-age=300" : "no-cache",
        ...SECURITY_HEADERS,
      },
    });
  };
}
