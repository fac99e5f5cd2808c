/**
 * `npm run bench`: every benchmark in this folder, one after the other, each in its own process (their
 * ratios need the machine to themselves). Prints each one's verdict; exits 1 when any missed its target.
 *
 *   npm run bench                  # all
 *   npm run bench -- startup batch # those whose file name contains one of the words
 */
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const folder = path.dirname(fileURLToPath(import.meta.url));
const filters = process.argv.slice(2);
const benches = readdirSync(folder)
  .filter((name) => name.endsWith(".bench.ts"))
  .filter((name) => filters.length === 0 || filters.some((word) => name.includes(word)))
  .sort();
const results: { name: string; status: number | null }[] = [];
for (const name of benches) {
  console.log(`\n== ${name}`);
  const run = spawnSync(process.execPath, ["--import", "tsx", path.join(folder, name)], { stdio: "inherit" });
  results.push({ name, status: run.status });
}
console.log("\n== summary");
for (const { name, status } of results) console.log(`${status === 0 ? "PASS" : "FAIL"}  ${name}`);
process.exitCode = results.every(({ status }) => status === 0) ? 0 : 1;
