import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readdir, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { UserError } from "../core/errors.js";
import { flowopsHome } from "../core/flowops-home.js";
import type { Registry } from "../registry/registry.js";
import type { RequestLogStore } from "../stores/deployment-store.js";
import { parseSince, readProductionData } from "./production-data.js";

/** What `--data` resolved to: a local file or folder the batch engine reads, and its lineage. */
export interface ResolvedData {
  /** A file or folder `readData` can read. */
  path: string;
  /** For RunRecord.data_version: `name:version` of registered data, `prod:<endpoint>@<since>` for traffic. */
  version?: string;
  kind: "file" | "registry" | "production";
}

export interface ResolveDataOptions {
  env?: NodeJS.ProcessEnv;
  /** Needed for `name:version`. */
  registry?: Registry;
  /** Needed for `prod:ENDPOINT[:since]`. */
  requests?: RequestLogStore;
  /** Default `<FLOWOPS_HOME>/cache`. */
  cacheDir?: string;
  now?: number;
}

/**
 * Resolves `--data`: an existing path is used as it is; `prod:ENDPOINT[:since]` is the endpoint's
 * logged production traffic (written to a JSONL snapshot, rows `{inputs, outputs, version, ...}`);
 * `name:version` or `name:label` is a registered data set (downloaded once into the cache).
 */
export async function resolveDataReference(
  reference: string,
  options: ResolveDataOptions = {},
): Promise<ResolvedData> {
  if (existsSync(reference)) return { path: reference, kind: "file" };
  const cacheDir = options.cacheDir ?? path.join(flowopsHome(options.env ?? process.env), "cache");
  if (reference.startsWith("prod:")) {
    const [endpoint = "", ...rest] = reference.slice("prod:".length).split(":");
    const since = rest.length > 0 ? rest.join(":") : undefined;
    if (!endpoint) throw badReference(reference);
    if (!options.requests)
      throw new UserError("NoRequestLog", `--data ${reference} needs the production request log.`);
    const from = parseSince(since, options.now);
    const lines: string[] = [];
    for await (const row of readProductionData(
      options.requests,
      endpoint,
      since,
      options.now ? { now: options.now } : {},
    ))
      lines.push(JSON.stringify(row));
    if (lines.length === 0) {
      throw new UserError(
        "NoProductionTraffic",
        `No logged requests for endpoint '${endpoint}'${from ? ` since ${from}` : ""}. Check the endpoint name, widen the time window, or check that request logging is on (FLOWOPS_REQUEST_SAMPLE_RATE).`,
        { field: "data" },
      );
    }
    const folder = path.join(cacheDir, "prod");
    await mkdir(folder, { recursive: true });
    const file = path.join(folder, `${endpoint}-${Date.now()}-${randomUUID().slice(0, 8)}.jsonl`);
    await writeFile(file, `${lines.join("\n")}\n`);
    return { path: file, version: `prod:${endpoint}@${from ?? "beginning"}`, kind: "production" };
  }
  if (/^[A-Za-z0-9][A-Za-z0-9._-]*:[A-Za-z0-9][A-Za-z0-9_-]*$/.test(reference)) {
    if (!options.registry) throw new UserError("NoRegistry", `--data ${reference} needs the registry.`);
    const asset = await options.registry.resolve("data", reference);
    const dir = path.join(cacheDir, "data", asset.name, `${asset.version}-${asset.hash.slice(0, 12)}`);
    if (!(await stat(dir).catch(() => undefined))) {
      await options.registry.download("data", `${asset.name}:${asset.version}`, dir).catch(async (error) => {
        if (!(await stat(dir).catch(() => undefined))) throw error;
      });
    }
    const files = await readdir(dir);
    return {
      path: files.length === 1 ? path.join(dir, files[0] as string) : dir,
      version: `${asset.name}:${asset.version}`,
      kind: "registry",
    };
  }
  throw badReference(reference);
}

function badReference(reference: string): UserError {
  return new UserError(
    "DataNotFound",
    `--data '${reference}' is neither an existing file or folder, nor a registered data set (name:version), nor production traffic (prod:ENDPOINT[:since], e.g. prod:ner:1d).`,
    { field: "data" },
  );
}
