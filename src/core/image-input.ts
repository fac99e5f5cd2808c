import { readFile, realpath } from "node:fs/promises";
import { isIP } from "node:net";
import path from "node:path";
import { InputError } from "./errors.js";

/**
 * The one policy for image inputs (flow inputs of type `image`), secure by default:
 * - a base64 data URL (`data:image/png;base64,...`, or promptflow's `{"data:image/png;base64": B}`);
 * - an http(s) URL (or `{"data:image/png;url": U}`) whose host is a name or a public IP: loopback,
 *   private, link-local (169.254.0.0/16, fe80::/10), unspecified and cloud metadata hosts are refused;
 * - a file path (plain, or `{"data:image/png;path": P}`) only when the executor's creator allowed
 *   folders (`ExecutorOptions.imageRoots`: the CLI passes the flow folder and the data file's folder):
 *   the path, resolved against each folder in turn with `..` and symlinks followed, must stay inside
 *   one of them. HTTP servers allow none, so callers can never make the server read a file.
 * Every refusal is an InputError (`InvalidImage`: the caller's input is wrong, a 4xx over HTTP) whose
 * message does not tell whether a path exists.
 */

const MIME: Record<string, string> = {
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".gif": "image/gif",
  ".webp": "image/webp",
  ".bmp": "image/bmp",
};
const IMAGE_KEY = /^data:(image\/[\w.+-]{1,64});(path|url|base64)$/;
const DATA_URL_HEAD = /^data:image\/[\w.+-]{1,64};base64,/;
const BASE64_BODY = /^[A-Za-z0-9+/=\s]*$/;
const METADATA_HOSTS = new Set(["metadata", "metadata.google.internal", "metadata.goog", "instance-data"]);

const shown = (value: unknown): string => {
  const text = typeof value === "string" ? value : (JSON.stringify(value) ?? String(value));
  return JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}...` : text);
};

function refuse(node: string, value: unknown, why: string): never {
  throw new InputError(
    "InvalidImage",
    `Node '${node}': the image ${shown(value)} cannot be used: ${why}. Send an image as a data URL (data:image/png;base64,...) or a public http(s) URL.`,
    { node },
  );
}

/** Whether an IP literal is loopback, private, link-local, unspecified, CGNAT or multicast. */
function isInternalIp(ip: string): boolean {
  if (isIP(ip) === 4) {
    const [a, b] = ip.split(".").map(Number) as [number, number];
    return (
      a === 0 ||
      a === 10 ||
      a === 127 ||
      (a === 100 && b >= 64 && b <= 127) ||
      (a === 169 && b === 254) ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168) ||
      a >= 224
    );
  }
  const v6 = ip.toLowerCase();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(v6);
  if (mapped) return isInternalIp(mapped[1]!);
  if (v6.startsWith("::ffff:")) {
    // ::ffff:7f00:1 (URL's canonical form of ::ffff:127.0.0.1)
    const [hi = "0", lo = "0"] = v6.slice(7).split(":");
    const n = (Number.parseInt(hi, 16) << 16) | Number.parseInt(lo, 16);
    return isInternalIp([n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join("."));
  }
  return (
    v6 === "::" ||
    v6 === "::1" ||
    /^f[cd]/.test(v6) ||
    /^fe[89ab]/.test(v6) ||
    v6.startsWith("ff") ||
    v6.startsWith("fd00:ec2::")
  );
}

/** An http(s) URL a model may fetch, or a refusal. */
export function checkImageUrl(url: string, node: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return refuse(node, url, "it is not a valid URL");
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:")
    refuse(node, url, "only http and https URLs are accepted");
  const host = parsed.hostname
    .replace(/^\[|\]$/g, "")
    .replace(/\.$/, "")
    .toLowerCase();
  if (
    host === "localhost" ||
    host.endsWith(".localhost") ||
    host.endsWith(".internal") ||
    METADATA_HOSTS.has(host) ||
    (isIP(host) !== 0 && isInternalIp(host))
  )
    refuse(node, url, "it points at a local, private, link-local or metadata address");
  return parsed.href;
}

function checkDataUrl(value: string, node: string): string {
  const head = DATA_URL_HEAD.exec(value);
  if (!head || !BASE64_BODY.test(value.slice(head[0].length)))
    refuse(node, value, "a data URL must be data:image/TYPE;base64, followed by base64");
  return value;
}

async function inside(file: string, roots: readonly string[]): Promise<boolean> {
  for (const root of roots) {
    const real = await realpath(root).catch(() => undefined);
    if (real && (file === real || file.startsWith(real + path.sep))) return true;
  }
  return false;
}

async function readImageFile(
  file: string,
  roots: readonly string[],
  node: string,
  mime: string | undefined,
): Promise<string> {
  const why = "file paths are only read for local runs, from inside the flow folder or the data folder";
  if (roots.length === 0 || file.includes("\0")) refuse(node, file, why);
  for (const root of roots) {
    const real = await realpath(path.resolve(root, file)).catch(() => undefined);
    if (!real || !(await inside(real, roots))) continue;
    const bytes = await readFile(real).catch(() => undefined);
    if (!bytes) continue;
    const type = mime ?? MIME[path.extname(real).toLowerCase()] ?? "image/png";
    return `data:${type};base64,${bytes.toString("base64")}`;
  }
  return refuse(node, file, `${why} (no readable image there)`);
}

/**
 * Resolves a value given for an image input into the URL a vision model receives, under the policy
 * above. `roots`: the folders file paths may be read from (none by default).
 */
export async function resolveImageInput(
  value: unknown,
  roots: readonly string[],
  node: string,
): Promise<string> {
  if (value !== null && typeof value === "object" && !Array.isArray(value)) {
    const entries = Object.entries(value);
    const match = entries.length === 1 ? IMAGE_KEY.exec(entries[0]![0]) : null;
    const inner = entries[0]?.[1];
    if (!match || typeof inner !== "string")
      refuse(node, value, 'an image object must be {"data:image/png;base64" | ";url" | ";path": "..."}');
    if (match[2] === "base64") return checkDataUrl(`data:${match[1]};base64,${inner}`, node);
    if (match[2] === "url") return checkImageUrl(inner, node);
    return readImageFile(inner, roots, node, match[1]);
  }
  if (typeof value !== "string" || value.trim() === "") refuse(node, value, "it is not an image");
  const text = value.trim();
  if (/^data:/i.test(text)) return checkDataUrl(text, node);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) return checkImageUrl(text, node);
  return readImageFile(text, roots, node, undefined);
}
