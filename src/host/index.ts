/** The local Functions host: serves the app's function table over HTTP, Storage queues and a local Durable runtime. */
export { LocalDurableRuntime, type LocalDurableRuntimeOptions } from "./durable/local-durable-runtime.js";
export { type HostSettings, readHostSettings } from "./host-settings.js";
export { type LocalHost, type LocalHostOptions, startLocalHost } from "./local-host.js";
