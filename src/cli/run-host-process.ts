/**
 * `flowops` straight from the TypeScript sources: `node --import tsx src/cli/run-host-process.ts start
 * --port 0`. The end-to-end tests and benchmarks run the local host (and `flow serve`) this way as child
 * processes they can `kill -9`, without a build; `main` loads only the command group that runs.
 */
import { main } from "./main.js";

process.exitCode = await main(process.argv.slice(2));
