import { setFlagsFromString } from "node:v8";

const OFF = ["--no-wasm-dynamic-tiering", "--no-wasm-tier-up", "--no-wasm-lazy-compilation"];
const DEFAULT = ["--wasm-dynamic-tiering", "--wasm-tier-up", "--wasm-lazy-compilation"];

/**
 * Keeps the WebAssembly modules this process compiles from now on on V8's baseline compiler (Liftoff).
 * undici parses HTTP with llhttp compiled to WebAssembly; after a response or two V8 tiers its one
 * large parser function up to TurboFan on a background thread, which takes ~100 ms of CPU and ~25 MB
 * of memory, and Node waits for that compile to finish before the process can exit. A one-shot command
 * (`flow test`) makes a handful of model calls, so it never gains from the optimized parser: it only
 * pays for it. A Functions instance pays the same ~25 MB at its first request, which a serverless plan
 * bills and the parser's work (a few µs per model answer, next to a model call of hundreds of ms) does
 * not win back, so the Functions entry skips it too (FLOWOPS_WASM_TIER_UP=1 keeps V8's default).
 * Long-running local commands (`flow serve`, `run create`, `start`) keep the default.
 *
 * The flags are turned off only while a module is compiled (a module keeps the tiering it was compiled
 * with): V8 checks its flags against every code cache, so with other flags in force each Node built-in
 * loaded afterwards (http2, tls, zlib... with the provider) would be compiled from source instead of
 * from Node's embedded cache. bench/README.md, "Start-up", has the measurements.
 */
export function skipWasmTierUp(): void {
  const wasm = (globalThis as unknown as { WebAssembly: { Module: ModuleConstructor } }).WebAssembly;
  const Module = wasm.Module;
  if ((Module as { baseline?: boolean }).baseline) return;
  const Baseline: ModuleConstructor = new Proxy(Module, {
    construct(target, args: unknown[], newTarget): object {
      for (const flag of OFF) setFlagsFromString(flag);
      try {
        return Reflect.construct(target, args, newTarget === Baseline ? target : newTarget) as object;
      } finally {
        for (const flag of DEFAULT) setFlagsFromString(flag);
      }
    },
    get(target, property, receiver) {
      return property === "baseline" ? true : Reflect.get(target, property, receiver);
    },
  });
  wasm.Module = Baseline;
}

type ModuleConstructor = new (bytes: ArrayBufferView | ArrayBuffer) => object;
