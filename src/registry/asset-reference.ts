import { UserError } from "../core/errors.js";

/** `name`, `name:3` or `name:production`: a registered asset, one version, or a label. */
export interface AssetReference {
  name: string;
  version?: number;
  label?: string;
}

/** A reference that is not `name[:version|:label]`. */
export class AssetReferenceError extends UserError {}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** Parses `name[:version|:label]`; with `requireVersion`, a bare name is an error. */
export function parseAssetReference(
  text: string,
  options: { requireVersion?: boolean } = {},
): AssetReference {
  const [name = "", selector, ...rest] = text.split(":");
  if (!NAME.test(name) || rest.length > 0 || selector === "") {
    throw new AssetReferenceError(
      "BadAssetReference",
      `'${text}' is not a registry reference: write name, name:version or name:label (e.g. named-entity-recognition:2).`,
    );
  }
  if (selector === undefined) {
    if (options.requireVersion) {
      throw new AssetReferenceError(
        "BadAssetReference",
        `'${text}' needs a version or a label: write ${name}:<version> or ${name}:<label>.`,
      );
    }
    return { name };
  }
  if (/^\d+$/.test(selector)) return { name, version: Number(selector) };
  if (!NAME.test(selector)) {
    throw new AssetReferenceError(
      "BadAssetReference",
      `'${selector}' in '${text}' is neither a version nor a label.`,
    );
  }
  return { name, label: selector };
}

/** Checks a name given to `register --name`. */
export function checkAssetName(name: string): string {
  if (!NAME.test(name)) {
    throw new AssetReferenceError(
      "BadAssetName",
      `'${name}' cannot name a registered asset: use letters, digits, '.', '_' and '-', starting with a letter or digit.`,
      { field: "name" },
    );
  }
  return name;
}
