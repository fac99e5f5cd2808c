import { basename, resolve } from "node:path";

/**
 * A readable default run name, as promptflow makes them: `<flow folder>_<variant>_<timestamp>`, e.g.
 * `web_classification_variant_1_20240501_101502_123456`. Only letters, digits and `_` are kept.
 */
export function defaultRunName(flow: string, options: { variant?: string; now?: Date } = {}): string {
  const now = options.now ?? new Date();
  const variantId = options.variant ? /\.([^.}]+)\}?$/.exec(options.variant)?.[1] : undefined;
  const pad = (n: number, width = 2) => String(n).padStart(width, "0");
  const stamp =
    `${now.getFullYear()}${pad(now.getMonth() + 1)}${pad(now.getDate())}_` +
    `${pad(now.getHours())}${pad(now.getMinutes())}${pad(now.getSeconds())}_${pad(now.getMilliseconds(), 3)}` +
    pad(Math.floor(Math.random() * 1000), 3);
  return [flowName(flow), variantId, stamp]
    .filter((part): part is string => Boolean(part))
    .map(clean)
    .join("_");
}

function flowName(flow: string): string {
  // A registry reference `name:version` keeps its name; a folder (or its flow.dag.yaml) its folder name.
  if (/^[^/\\]+:[^/\\]+$/.test(flow)) return flow.split(":")[0]!;
  const path = resolve(flow);
  const base = basename(path);
  return /\.(ya?ml)$/i.test(base) ? basename(resolve(path, "..")) : base;
}

function clean(part: string): string {
  return part.replace(/[^A-Za-z0-9_]+/g, "_").replace(/^_+|_+$/g, "") || "flow";
}
