import { randomUUID } from "node:crypto";
import { mkdir, readdir, readFile, rename, rm, rmdir, stat, writeFile } from "node:fs/promises";
import { dirname, join, relative, sep } from "node:path";
import { flowopsHome } from "../../core/flowops-home.js";
import {
  type BlobInfo,
  BlobKeyError,
  type BlobPutOptions,
  type BlobStore,
  contentAddressedKey,
  validateBlobKey,
} from "../blob-store.js";

export interface LocalBlobStoreOptions {
  /** Folder of the store; defaults to `$FLOWOPS_HOME`, then `~/.flowops`. */
  home?: string;
}

interface Sidecar {
  contentType?: string;
}

/**
 * The embedded blob store: one file per blob under `<home>/blobs/<key>`, so a report can be opened
 * straight from disk. Content types live in `<home>/blobs-meta/<key>.json`. Writes go to a temporary
 * file that is renamed into place, so a reader never sees half a blob. A key cannot be both a blob
 * and the folder of another blob (`a` and `a/b`): the second put fails with BlobKeyError.
 */
export class LocalBlobStore implements BlobStore {
  readonly root: string;
  private readonly metaRoot: string;
  private readonly tempRoot: string;

  constructor(options: LocalBlobStoreOptions = {}) {
    const home = options.home ?? flowopsHome();
    this.root = join(home, "blobs");
    this.metaRoot = join(home, "blobs-meta");
    this.tempRoot = join(home, "blobs-tmp");
  }

  async put(key: string, body: Uint8Array | string, options: BlobPutOptions = {}): Promise<BlobInfo> {
    const target = options.contentAddressed ? contentAddressedKey(key, body) : validateBlobKey(key);
    if (options.contentAddressed) {
      const existing = await this.info(target);
      if (existing) return existing;
    }
    await this.writeAtomically(this.pathOf(target), body, target);
    const metaPath = this.metaPathOf(target);
    if (options.contentType) {
      await this.writeAtomically(
        metaPath,
        JSON.stringify({ contentType: options.contentType } satisfies Sidecar),
        target,
      );
    } else {
      await rm(metaPath, { force: true });
    }
    return (await this.info(target)) as BlobInfo;
  }

  async get(key: string): Promise<Buffer | undefined> {
    try {
      return await readFile(this.pathOf(validateBlobKey(key)));
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  }

  async exists(key: string): Promise<boolean> {
    return (await this.info(validateBlobKey(key))) !== undefined;
  }

  async list(prefix = ""): Promise<BlobInfo[]> {
    // Walk only the deepest folder that the prefix names in full.
    const folder = prefix.includes("/") ? prefix.slice(0, prefix.lastIndexOf("/")) : "";
    if (folder) validateBlobKey(folder);
    let entries: string[];
    try {
      entries = await readdir(join(this.root, folder), { recursive: true });
    } catch (error) {
      if (isMissing(error)) return [];
      throw error;
    }
    const keys = entries
      .map((entry) => (folder ? `${folder}/` : "") + entry.split(sep).join("/"))
      .filter((key) => key.startsWith(prefix))
      .sort();
    const infos = await Promise.all(keys.map((key) => this.info(key)));
    return infos.filter((info): info is BlobInfo => info !== undefined);
  }

  async delete(key: string): Promise<boolean> {
    const path = this.pathOf(validateBlobKey(key));
    if (!(await this.info(key))) return false;
    await rm(path, { force: true });
    await rm(this.metaPathOf(key), { force: true });
    await this.removeEmptyFolders(dirname(path), this.root);
    return true;
  }

  private async info(key: string): Promise<BlobInfo | undefined> {
    let stats: Awaited<ReturnType<typeof stat>>;
    try {
      stats = await stat(this.pathOf(key));
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
    if (!stats.isFile()) return undefined;
    const sidecar = await this.readSidecar(key);
    return {
      key,
      size: stats.size,
      ...(sidecar.contentType ? { contentType: sidecar.contentType } : {}),
      lastModified: stats.mtime.toISOString(),
    };
  }

  private async readSidecar(key: string): Promise<Sidecar> {
    try {
      return JSON.parse(await readFile(this.metaPathOf(key), "utf8")) as Sidecar;
    } catch (error) {
      if (isMissing(error)) return {};
      throw error;
    }
  }

  private async writeAtomically(path: string, body: Uint8Array | string, key: string): Promise<void> {
    await mkdir(this.tempRoot, { recursive: true });
    const temp = join(this.tempRoot, randomUUID());
    await writeFile(temp, body, { flush: true });
    try {
      await mkdir(dirname(path), { recursive: true });
      await rename(temp, path);
    } catch (error) {
      await rm(temp, { force: true });
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "EEXIST" || code === "ENOTDIR" || code === "EISDIR") {
        throw new BlobKeyError(
          key,
          "clashes with another blob: a key cannot be both a blob and a folder of blobs",
        );
      }
      throw error;
    }
  }

  private async removeEmptyFolders(folder: string, root: string): Promise<void> {
    for (
      let current = folder;
      relative(root, current) !== "" && !relative(root, current).startsWith("..");
    ) {
      try {
        await rmdir(current);
      } catch {
        return; // not empty (or already gone)
      }
      current = dirname(current);
    }
  }

  private pathOf(key: string): string {
    return join(this.root, ...key.split("/"));
  }

  private metaPathOf(key: string): string {
    return `${join(this.metaRoot, ...key.split("/"))}.json`;
  }
}

/** Opens the local blob store under `$FLOWOPS_HOME/blobs` (created on first write). */
export function openLocalBlobStore(options: LocalBlobStoreOptions = {}): LocalBlobStore {
  return new LocalBlobStore(options);
}

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === "ENOENT" || code === "ENOTDIR";
}
