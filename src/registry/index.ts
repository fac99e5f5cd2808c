/** The registry: immutable, content-hashed flow and data versions with movable labels. */

export { registryBlobSettings, storeKind } from "../stores/store-settings.js";
export {
  type AssetReference,
  AssetReferenceError,
  checkAssetName,
  parseAssetReference,
} from "./asset-reference.js";
export { collectDataFiles, collectFlowFiles, PackageError } from "./collect-package-files.js";
export { currentUser } from "./current-user.js";
export { type OpenedRegistry, openRegistry } from "./open-registry.js";
export {
  createPackageFilter,
  DEFAULT_EXCLUDES,
  EXCLUDED_NAMES,
  isConnectionFile,
  type PackageFilterOptions,
} from "./package-filter.js";
export { buildManifest, type ManifestEntry, type PackageFile, parseManifest } from "./package-manifest.js";
export {
  type ExperimentGates,
  GATES_FILE,
  GatesFileError,
  readExperimentGates,
} from "./read-experiment-gates.js";
export {
  type CreateRegistryOptions,
  createRegistry,
  type RegisterOptions,
  type RegistrationResult,
  type Registry,
  type ShownVersion,
} from "./registry.js";
