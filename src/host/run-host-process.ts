/**
 * `flowops` straight from the TypeScript sources (`node --import tsx src/host/run-host-process.ts
 * start ...`): how the end-to-end tests and benchmarks run the local host as a child process they can
 * `kill -9`, without a build.
 */
import { main } from "../cli/main.js";

process.exitCode = await main(process.argv.slice(2));
