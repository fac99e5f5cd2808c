import { setFlagsFromString } from "node:v8";

/**
 * Keeps WebAssembly on V8's baseline compiler (Liftoff) for the rest of this process. undici parses
 * HTTP with llhttp compiled to WebAssembly; after a response or two V8 tiers its one large parser
 * function up to TurboFan on a background thread, which takes ~100 ms of CPU and ~25 MB of memory,
 * and Node waits for that compile to finish before the process can exit. A one-shot command (`flow
 * test`) makes a handful of model calls, so it never gains from the optimized parser: it only pays
 * for it. Long-running commands (`flow serve`, `run create`, `start`) keep the default.
 * bench/README.md, "Start-up", has the measurements.
 */
export function skipWasmTierUp(): void {
  setFlagsFromString("--no-wasm-dynamic-tiering");
  setFlagsFromString("--no-wasm-tier-up");
}
