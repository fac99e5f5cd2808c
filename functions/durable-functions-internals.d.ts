// A file of durable-functions 3.5.0 without public types (package.json pins the version exactly).
declare module "durable-functions/lib/src/util/testingUtils.js" {
  export function createOrchestrator(generator: unknown): unknown;
}
