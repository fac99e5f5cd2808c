import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { skipWasmTierUp } from "./skip-wasm-tier-up.js";

// (module (func (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add))
const ADD = [
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x07, 0x01, 0x60, 0x02, 0x7f, 0x7f, 0x01, 0x7f, 0x03,
  0x02, 0x01, 0x00, 0x07, 0x07, 0x01, 0x03, 0x61, 0x64, 0x64, 0x00, 0x00, 0x0a, 0x09, 0x01, 0x07, 0x00, 0x20,
  0x00, 0x20, 0x01, 0x6a, 0x0b,
];

interface Wasm {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { exports: { add(a: number, b: number): number } };
}

describe("skipWasmTierUp", () => {
  it("still compiles WebAssembly modules that work as before", () => {
    skipWasmTierUp();
    skipWasmTierUp(); // idempotent
    const wasm = (globalThis as unknown as { WebAssembly: Wasm }).WebAssembly;
    const module = new wasm.Module(new Uint8Array(ADD));
    expect(module).toBeInstanceOf(wasm.Module);
    expect(new wasm.Instance(module).exports.add(40, 2)).toBe(42);
  });

  it("restores V8's flags after a compile, so Node's built-ins still load from their code cache", () => {
    // Node compiles a built-in from source when V8's flags differ from the defaults its cache was made with.
    const script = `
      const { internalBinding } = require("internal/test/binding");
      import(${JSON.stringify(fileURLToPath(new URL("./skip-wasm-tier-up.ts", import.meta.url)))}).then(({ skipWasmTierUp }) => {
        skipWasmTierUp();
        new WebAssembly.Module(new Uint8Array(${JSON.stringify(ADD)}));
        require("node:http2");
        const usage = internalBinding("builtins").getCacheUsage();
        console.log(JSON.stringify({ withoutCache: [...usage.compiledWithoutCache] }));
      });`;
    const child = spawnSync(process.execPath, ["--expose-internals", "--import", "tsx", "-e", script], {
      encoding: "utf8",
    });
    expect(child.status, child.stderr).toBe(0);
    const { withoutCache } = JSON.parse(child.stdout.trim().split("\n").at(-1) as string) as {
      withoutCache: string[];
    };
    expect(withoutCache).toEqual([]);
  });
});
