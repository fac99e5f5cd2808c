/** The flowops studio: the browser app for flows, runs, traces and chat (see createStudioApp). */
export { createStudioApp, type StudioApp } from "./studio-app.js";
export type { StudioOptions } from "./studio-context.js";
export { isLoopback } from "./studio-guards.js";
