import { createHash } from "node:crypto";
import { mkdir, readdir, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { UserError } from "../core/errors.js";
import type { BlobStore } from "../stores/blob-store.js";
import {
  type AssetKind,
  type AssetLabel,
  AssetNotFoundError,
  type AssetVersion,
  type RegistryStore,
} from "../stores/registry-store.js";
import { type AssetReference, checkAssetName, parseAssetReference } from "./asset-reference.js";
import { collectDataFiles, collectFlowFiles } from "./collect-package-files.js";
import { currentUser } from "./current-user.js";
import type { PackageFilterOptions } from "./package-filter.js";
import { buildManifest, type PackageFile, parseManifest } from "./package-manifest.js";

/** What `registry ... register` prints. */
export interface RegistrationResult {
  name: string;
  version: number;
  hash: string;
  created: boolean;
}

export interface RegisterOptions {
  name: string;
  /** Flows: `${node.variant_id}` to package as that node's default variant. */
  defaultVariant?: string;
  tags?: Record<string, string>;
  metrics?: Record<string, number>;
  metricsFrom?: string;
  /** More gitignore-style patterns to leave out of the package (see package-filter.ts). */
  exclude?: string[];
  /** gitignore-style patterns to package although a default leaves them out (`.env.example`). */
  include?: string[];
}

/** A version with the labels pointing at it. */
export type ShownVersion = AssetVersion & { labels: string[] };

export interface Registry {
  registerFlow(flowDir: string, options: RegisterOptions): Promise<RegistrationResult>;
  registerData(source: string, options: RegisterOptions): Promise<RegistrationResult>;
  /** `name` (latest), `name:3` or `name:production`. */
  resolve(kind: AssetKind, reference: string | AssetReference): Promise<AssetVersion>;
  list(kind: AssetKind, name?: string): Promise<ShownVersion[]>;
  show(kind: AssetKind, reference: string): Promise<ShownVersion>;
  labels(kind: AssetKind, name: string): Promise<AssetLabel[]>;
  label(kind: AssetKind, reference: string, label: string): Promise<AssetLabel & { name: string }>;
  /** Writes the version's files into `output` (created; must be empty). Checks every file's sha256. */
  download(
    kind: AssetKind,
    reference: string,
    output: string,
  ): Promise<{ version: AssetVersion; dir: string }>;
}

export interface CreateRegistryOptions {
  store: RegistryStore;
  blobs: BlobStore;
  /** For FLOWOPS_USER / GITHUB_ACTOR. */
  env?: NodeJS.ProcessEnv;
}

const FILES = "registry/files";
const MANIFESTS = "registry/manifests";
const PUT_CONCURRENCY = 8;

/**
 * The registry: packages flows and data sets as immutable, content-hashed versions. File bytes go
 * to the blob store content-addressed (`registry/files/<sha256>`, shared between versions), the
 * manifest to `registry/manifests/<hash>`, and the version record to the registry store, last: a
 * version is visible only once all its content is stored.
 */
export function createRegistry(options: CreateRegistryOptions): Registry {
  const { store, blobs } = options;
  const env = options.env ?? process.env;

  const register = async (
    kind: AssetKind,
    source: string,
    files: PackageFile[],
    registerOptions: RegisterOptions,
  ): Promise<RegistrationResult> => {
    const name = checkAssetName(registerOptions.name);
    const manifest = buildManifest(files);
    const existing = await store.findByHash(kind, name, manifest.hash);
    if (existing) return { name, version: existing.version, hash: existing.hash, created: false };
    for (let i = 0; i < files.length; i += PUT_CONCURRENCY) {
      const batch = files.slice(i, i + PUT_CONCURRENCY);
      await Promise.all(batch.map((file) => blobs.put(FILES, file.bytes, { contentAddressed: true })));
    }
    await blobs.put(MANIFESTS, manifest.text, { contentAddressed: true, contentType: "text/plain" });
    const { version, created } = await store.registerVersion({
      kind,
      name,
      hash: manifest.hash,
      files: manifest.entries.length,
      size: manifest.entries.reduce((sum, entry) => sum + entry.size, 0),
      created_on: new Date().toISOString(),
      created_by: currentUser(env),
      source,
      ...(registerOptions.tags && Object.keys(registerOptions.tags).length > 0
        ? { tags: registerOptions.tags }
        : {}),
      ...(registerOptions.metrics ? { metrics: registerOptions.metrics } : {}),
      ...(registerOptions.metricsFrom ? { metrics_from: registerOptions.metricsFrom } : {}),
    });
    return { name, version: version.version, hash: version.hash, created };
  };

  const resolve = async (kind: AssetKind, reference: string | AssetReference): Promise<AssetVersion> => {
    const ref = typeof reference === "string" ? parseAssetReference(reference) : reference;
    const text = `${ref.name}${ref.version !== undefined ? `:${ref.version}` : ref.label ? `:${ref.label}` : ""}`;
    let version = ref.version;
    if (ref.label !== undefined) {
      version = (await store.getLabels(kind, ref.name)).find((l) => l.label === ref.label)?.version;
    } else if (version === undefined) {
      version = (await store.listVersions(kind, ref.name)).at(-1)?.version;
    }
    const found = version === undefined ? undefined : await store.getVersion(kind, ref.name, version);
    if (!found) throw new AssetNotFoundError(kind, text);
    return found;
  };

  const withLabels = async (unordered: AssetVersion[]): Promise<ShownVersion[]> => {
    const versions = unordered.map(({ kind, name, version, hash, ...rest }) => ({
      kind,
      name,
      version,
      hash,
      ...rest,
    }));
    const labelsByName = new Map<string, AssetLabel[]>();
    for (const name of new Set(versions.map((v) => v.name))) {
      labelsByName.set(name, await store.getLabels(versions[0]?.kind ?? "flow", name));
    }
    return versions.map((v) => ({
      ...v,
      labels: (labelsByName.get(v.name) ?? []).filter((l) => l.version === v.version).map((l) => l.label),
    }));
  };

  return {
    registerFlow: async (flowDir, registerOptions) =>
      register(
        "flow",
        flowDir,
        await collectFlowFiles(flowDir, {
          ...(registerOptions.defaultVariant ? { defaultVariant: registerOptions.defaultVariant } : {}),
          ...packageFilter(registerOptions),
        }),
        registerOptions,
      ),
    registerData: async (source, registerOptions) =>
      register(
        "data",
        source,
        await collectDataFiles(source, packageFilter(registerOptions)),
        registerOptions,
      ),
    resolve,
    list: async (kind, name) => withLabels(await store.listVersions(kind, name)),
    show: async (kind, reference) => (await withLabels([await resolve(kind, reference)]))[0] as ShownVersion,
    labels: (kind, name) => store.getLabels(kind, name),
    label: async (kind, reference, label) => {
      const ref = parseAssetReference(reference, { requireVersion: true });
      if (!/^[A-Za-z][A-Za-z0-9_-]*$/.test(label) || /^\d+$/.test(label)) {
        throw new UserError("BadLabel", `'${label}' cannot be a label: use letters, digits, '_' and '-'.`, {
          field: "label",
        });
      }
      const version = await resolve(kind, ref);
      const set = await store.setLabel(kind, version.name, label, version.version, currentUser(env));
      return { name: version.name, ...set };
    },
    download: async (kind, reference, output) => {
      const version = await resolve(kind, reference);
      const dir = path.resolve(output);
      await writePackage(blobs, version, dir);
      return { version, dir };
    },
  };
}

function packageFilter(options: RegisterOptions): PackageFilterOptions {
  return {
    ...(options.exclude?.length ? { exclude: options.exclude } : {}),
    ...(options.include?.length ? { include: options.include } : {}),
  };
}

/**
 * Writes a version's files into `dir` (must be missing or empty); staged, then renamed into place.
 * Nothing is trusted on the way: the manifest must hash to the version's hash, every entry path must
 * stay inside the staging folder, and every file must hash (and size) to its manifest entry.
 */
async function writePackage(blobs: BlobStore, version: AssetVersion, dir: string): Promise<void> {
  const existing = await readdir(dir).catch(() => undefined);
  if (existing && existing.length > 0) {
    throw new UserError(
      "OutputNotEmpty",
      `Cannot download ${version.kind} ${version.name}:${version.version} into ${dir}: the folder is not empty. Choose a new --output folder.`,
      { field: "output" },
    );
  }
  const manifestText = await blobs.get(`${MANIFESTS}/${version.hash}`);
  if (!manifestText) throw missingContent(version, `${MANIFESTS}/${version.hash}`);
  if (sha256(manifestText) !== version.hash) {
    throw new RegistryIntegrityError(
      "RegistryManifestTampered",
      `The manifest of ${describe(version)} (${MANIFESTS}/${version.hash}) does not hash to the version's hash ${version.hash}: it was changed after registration. Nothing was written. Restore the blob store from a backup or register the flow again.`,
    );
  }
  const staging = `${dir}.partial-${process.pid}-${Date.now()}`;
  try {
    await mkdir(staging, { recursive: true });
    for (const entry of parseManifest(manifestText.toString("utf8"), describe(version))) {
      const target = path.resolve(staging, ...entry.path.split("/"));
      const relative = path.relative(staging, target);
      if (relative === "" || relative.startsWith("..") || path.isAbsolute(relative)) {
        throw new RegistryIntegrityError(
          "RegistryManifestUnsafe",
          `The manifest of ${describe(version)} has the entry '${entry.path}', which resolves outside the download folder. Nothing was written.`,
        );
      }
      const bytes = await blobs.get(`${FILES}/${entry.sha256}`);
      if (!bytes) throw missingContent(version, `${FILES}/${entry.sha256} (${entry.path})`);
      if (sha256(bytes) !== entry.sha256 || bytes.length !== entry.size) {
        throw new RegistryIntegrityError(
          "RegistryFileTampered",
          `The file '${entry.path}' of ${describe(version)} (${FILES}/${entry.sha256}) does not match its manifest entry (sha256 and size): it was changed after registration. Nothing was written.`,
        );
      }
      await mkdir(path.dirname(target), { recursive: true });
      await writeFile(target, bytes, { flag: "wx" });
    }
    if (existing) await rm(dir, { recursive: true, force: true });
    await mkdir(path.dirname(dir), { recursive: true });
    await rename(staging, dir);
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

/** A registered version whose stored content does not match its hashes, or whose manifest is unsafe. */
export class RegistryIntegrityError extends UserError {}

function sha256(bytes: Buffer): string {
  return createHash("sha256").update(bytes).digest("hex");
}

function describe(version: AssetVersion): string {
  return `${version.kind} ${version.name}:${version.version}`;
}

function missingContent(version: AssetVersion, key: string): UserError {
  return new UserError(
    "RegistryContentMissing",
    `The content of ${version.kind} ${version.name}:${version.version} is missing or damaged in the blob store (${key}). The blob store and the registry store do not match: check FLOWOPS_STORE and the storage settings.`,
  );
}
