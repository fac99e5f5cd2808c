import { UserError } from "../core/errors.js";

/**
 * The registry-store port: the metadata of registered flow and data versions and their labels. The
 * content itself (files addressed by sha256, and each version's manifest) lives in the BlobStore.
 * The local adapter is SQLite under FLOWOPS_HOME (`registry.db`); the Azure adapter is the Cosmos DB
 * `registry` container (partition key `/name`). One contract suite
 * (tests/support/registry-store-contract.ts) runs against both.
 */

export type AssetKind = "flow" | "data";

/** One immutable registered version of a flow or a data set. */
export interface AssetVersion {
  kind: AssetKind;
  name: string;
  /** 1, 2, 3... per kind and name; never reused, never changed. */
  version: number;
  /** sha256 of the package manifest (see src/registry/package-manifest.ts). */
  hash: string;
  /** Number of files and their total size in bytes. */
  files: number;
  size: number;
  /** ISO timestamp and who registered it (FLOWOPS_USER, GITHUB_ACTOR or the OS user). */
  created_on: string;
  created_by: string;
  /** Where it was registered from (a folder or file path, for humans). */
  source?: string;
  tags?: Record<string, string>;
  /** Metrics copied from a run (`--metrics-from RUN`), and that run's name. */
  metrics?: Record<string, number>;
  metrics_from?: string;
}

export type NewAssetVersion = Omit<AssetVersion, "version">;

/** A label pointing at one version (labels move; versions never change). */
export interface AssetLabel {
  label: string;
  version: number;
  updated_on: string;
  updated_by: string;
}

export interface RegistryStore {
  /**
   * Registers a new version, unless a version of that kind and name already has the same hash: then
   * the existing one comes back with `created: false` (conditional registration). Safe against
   * concurrent registrations of the same content.
   */
  registerVersion(entry: NewAssetVersion): Promise<{ version: AssetVersion; created: boolean }>;
  getVersion(kind: AssetKind, name: string, version: number): Promise<AssetVersion | undefined>;
  findByHash(kind: AssetKind, name: string, hash: string): Promise<AssetVersion | undefined>;
  /** Versions ordered by name, then version; every name of the kind when `name` is left out. */
  listVersions(kind: AssetKind, name?: string): Promise<AssetVersion[]>;
  /** Points `label` at `version` (moving it if it pointed elsewhere). The version must exist. */
  setLabel(kind: AssetKind, name: string, label: string, version: number, by: string): Promise<AssetLabel>;
  getLabels(kind: AssetKind, name: string): Promise<AssetLabel[]>;
  close(): Promise<void>;
}

/** No such registered flow/data version (or label). */
export class AssetNotFoundError extends UserError {
  constructor(kind: AssetKind, reference: string) {
    super(
      "AssetNotFound",
      `No registered ${kind} '${reference}'. List what is registered with 'flowops registry ${kind} list'.`,
      { field: kind },
    );
  }
}
