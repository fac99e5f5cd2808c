import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { compilePlainTypeScript } from "./compile-plain-ts.js";
import { privateCacheDirectory } from "./private-cache-directory.js";

const dir = mkdtempSync(path.join(tmpdir(), "flowops-plain-ts-"));
function file(name: string, text: string): string {
  const full = path.join(dir, name);
  writeFileSync(full, text);
  return full;
}

describe("compilePlainTypeScript", () => {
  it("compiles a self-contained TypeScript node to an importable module", async () => {
    const url = await compilePlainTypeScript(
      file(
        "plain.ts",
        'import { sep } from "node:path";\nexport default (x: { n: number }): string => `${x.n * 2}${sep}`;\n',
      ),
    );
    expect(url).toMatch(/^data:text\/javascript;base64,/);
    const module = (await import(url as string)) as { default: (x: { n: number }) => string };
    expect(module.default({ n: 21 })).toBe(`42${path.sep}`);
  });

  it("leaves files that need their location or other modules to tsx", async () => {
    expect(
      await compilePlainTypeScript(file("rel.ts", 'import x from "./x.js";\nexport default x;\n')),
    ).toBeUndefined();
    expect(
      await compilePlainTypeScript(file("pkg.ts", 'import y from "yaml";\nexport default y;\n')),
    ).toBeUndefined();
    expect(await compilePlainTypeScript(file("dir.ts", "export default () => __dirname;\n"))).toBeUndefined();
    expect(
      await compilePlainTypeScript(file("meta.ts", "export default () => import.meta.url;\n")),
    ).toBeUndefined();
    expect(await compilePlainTypeScript(file("cjs.ts", "module.exports = () => 1;\n"))).toBeUndefined();
    expect(await compilePlainTypeScript(file("plain.js", "export default () => 1;\n"))).toBeUndefined();
    expect(await compilePlainTypeScript(file("bad.ts", "export default ( =>;\n"))).toBeUndefined();
  });

  it("keeps the compiled code in the private cache and reuses it while the file is unchanged", async () => {
    const cache = await privateCacheDirectory("typescript");
    expect(cache).toBeDefined();
    const text = `export default (): string => "first ${Date.now()}";\n`;
    const source = file("cached.ts", text);
    const before = new Set(readdirSync(cache as string));
    const decode = (url: string | undefined) =>
      Buffer.from((url as string).slice("data:text/javascript;base64,".length), "base64").toString();
    const first = decode(await compilePlainTypeScript(source));
    const added = readdirSync(cache as string).filter((name) => !before.has(name));
    expect(added).toHaveLength(1);
    const entry = path.join(cache as string, added[0]!);
    expect(readFileSync(entry, "utf8")).toBe(first);
    expect(statSync(entry).mode & 0o077).toBe(0);
    // A second compile reads the cached entry (changed here to tell it apart from a fresh compile).
    writeFileSync(entry, first.replace("first", "cached"));
    expect(decode(await compilePlainTypeScript(source))).toContain('"cached ');
    // An edited file is compiled again.
    writeFileSync(source, text.replace("first", "second"));
    expect(decode(await compilePlainTypeScript(source))).toContain('"second ');
  });
});
