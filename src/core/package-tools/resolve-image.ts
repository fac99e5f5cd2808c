import { readFile } from "node:fs/promises";
import path from "node:path";
import { UserError } from "../errors.js";

const MIME: Record<string, string> = {
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".gif": "image/gif",
  ".webp": "image/webp",
  ".bmp": "image/bmp",
};

/** Whether a value is one of promptflow's image forms (`{"data:image/png;path": "a.png"}`...). */
export function isImageValue(value: unknown): boolean {
  if (value !== null && typeof value === "object" && !Array.isArray(value)) {
    const keys = Object.keys(value);
    return keys.length === 1 && /^data:image\/[\w.+-]+;(path|url|base64)$/.test(keys[0]!);
  }
  return typeof value === "string" && /^data:image\/[\w.+-]+;base64,/.test(value);
}

/**
 * Turns an image the way promptflow accepts it into a URL a vision model takes: `data:image/...;base64,`
 * strings and http(s) URLs as they are; `{"data:image/png;base64": B}` into a data URL;
 * `{"data:image/png;url": U}` into U; a path (`{"data:image/png;path": P}` or a plain relative/absolute
 * path) read from disk, relative to the flow folder, into a data URL.
 */
export async function resolveImageUrl(value: unknown, flowDirectory: string, node: string): Promise<string> {
  if (value !== null && typeof value === "object" && !Array.isArray(value)) {
    const [key, inner] = Object.entries(value)[0] ?? [];
    const match = key ? /^data:(image\/[\w.+-]+);(path|url|base64)$/.exec(key) : null;
    if (match && typeof inner === "string") {
      if (match[2] === "base64") return `data:${match[1]};base64,${inner}`;
      if (match[2] === "url") return inner;
      return readAsDataUrl(inner, flowDirectory, node, match[1]);
    }
  }
  if (typeof value !== "string" || value.trim() === "") {
    throw new UserError(
      "InvalidImage",
      `Node '${node}': an image must be a data:image/...;base64 string, an http(s) URL, a file path, or {"data:image/png;path": FILE}; got ${JSON.stringify(value)?.slice(0, 80)}.`,
      { node },
    );
  }
  const text = value.trim();
  if (/^data:image\//.test(text) || /^https?:\/\//i.test(text)) return text;
  return readAsDataUrl(text, flowDirectory, node);
}

async function readAsDataUrl(
  file: string,
  flowDirectory: string,
  node: string,
  mime?: string,
): Promise<string> {
  const absolute = path.resolve(flowDirectory, file);
  let bytes: Buffer;
  try {
    bytes = await readFile(absolute);
  } catch (error) {
    throw new UserError(
      "ImageNotFound",
      `Node '${node}': cannot read the image '${file}' (${(error as NodeJS.ErrnoException).code ?? "error"}); paths are relative to the flow folder.`,
      { node, cause: error, location: { file: absolute } },
    );
  }
  const type = mime ?? MIME[path.extname(absolute).toLowerCase()] ?? "image/png";
  return `data:${type};base64,${bytes.toString("base64")}`;
}
