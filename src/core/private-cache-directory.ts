import { lstat, mkdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

/**
 * The root of flowops' compile caches: `<os.tmpdir()>/flowops-<uid>`, as tsx and Node's own compile
 * cache keep theirs in the temp folder (shared by every FLOWOPS_HOME, and never in a user's data).
 * What is cached there is code that runs, so the folder is used only when it is this user's own and
 * nobody else can write to it.
 */
export function cacheRoot(): string {
  return path.join(tmpdir(), `flowops-${process.getuid?.() ?? "user"}`);
}

/**
 * `<cacheRoot()>/<name>`, created if missing (mode 0700), or undefined when the root is not a real
 * folder of this user's that only they can write (then nothing is cached: callers compile as before).
 */
export async function privateCacheDirectory(name: string, root = cacheRoot()): Promise<string | undefined> {
  try {
    await mkdir(root, { recursive: true, mode: 0o700 });
    const stats = await lstat(root);
    const uid = process.getuid?.();
    if (!stats.isDirectory() || (uid !== undefined && stats.uid !== uid) || (stats.mode & 0o022) !== 0) {
      return undefined;
    }
    const directory = path.join(root, name);
    await mkdir(directory, { recursive: true, mode: 0o700 });
    return (await lstat(directory)).isDirectory() ? directory : undefined;
  } catch {
    return undefined;
  }
}
