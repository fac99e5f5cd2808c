import { chmodSync, mkdirSync, mkdtempSync, statSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { privateCacheDirectory } from "./private-cache-directory.js";

const base = mkdtempSync(path.join(tmpdir(), "flowops-cache-dir-"));

describe("privateCacheDirectory", () => {
  it("creates the root and the named folder, readable and writable by this user only", async () => {
    const root = path.join(base, "fresh");
    const directory = await privateCacheDirectory("typescript", root);
    expect(directory).toBe(path.join(root, "typescript"));
    expect(statSync(root).mode & 0o777).toBe(0o700);
    expect(statSync(directory as string).isDirectory()).toBe(true);
  });

  it("refuses a root others can write to, or a symbolic link", async () => {
    const open = path.join(base, "open");
    mkdirSync(open);
    chmodSync(open, 0o777);
    expect(await privateCacheDirectory("typescript", open)).toBeUndefined();
    const target = path.join(base, "target");
    mkdirSync(target, { mode: 0o700 });
    const link = path.join(base, "link");
    symlinkSync(target, link);
    expect(await privateCacheDirectory("typescript", link)).toBeUndefined();
  });
});
