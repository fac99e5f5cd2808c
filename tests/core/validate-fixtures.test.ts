import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { checkFlow } from "../../src/core/check-flow.js";
import { formatDiagnostic } from "../../src/core/errors.js";
import type { ConnectionCatalog, ConnectionInfo } from "../../src/core/model-port.js";

const fixtures = path.join(import.meta.dirname, "..", "fixtures");
const cases = (folder: string) =>
  readdirSync(path.join(fixtures, folder), { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && !entry.name.startsWith("_"))
    .map((entry) => entry.name);

/** A wrong flow may carry `connections.json` ([{name, type}]) to check connections against. */
function catalogFor(directory: string): ConnectionCatalog | undefined {
  const file = path.join(directory, "connections.json");
  if (!existsSync(file)) return undefined;
  const connections = JSON.parse(readFileSync(file, "utf8")) as ConnectionInfo[];
  return { get: (name) => connections.find((connection) => connection.name === name) };
}

describe("valid flows (tests/fixtures/flows) validate without a single diagnostic", () => {
  it.each(cases("flows"))("%s", async (name) => {
    const result = await checkFlow(path.join(fixtures, "flows", name));
    expect(result.diagnostics.map(formatDiagnostic)).toEqual([]);
    expect(result.definition?.nodes.length).toBeGreaterThan(0);
  });
});

describe("wrong flows (tests/fixtures/wrong-flows) are rejected with the message in expected.txt", () => {
  it.each(cases("wrong-flows"))("%s", async (name) => {
    const directory = path.join(fixtures, "wrong-flows", name);
    const expected = readFileSync(path.join(directory, "expected.txt"), "utf8")
      .split("\n")
      .filter((line) => line.trim() !== "");
    const connections = catalogFor(directory);
    const result = await checkFlow(directory, connections ? { connections } : {});
    const messages = result.diagnostics.map(formatDiagnostic);

    expect(messages.length).toBeGreaterThanOrEqual(expected.length);
    for (const substring of expected) {
      expect(
        messages.some((message) => message.includes(substring)),
        `no diagnostic contains: ${substring}\n${messages.join("\n")}`,
      ).toBe(true);
    }
    for (const diagnostic of result.diagnostics) {
      expect(diagnostic.file).toContain(directory);
      if (existsSync(path.join(directory, "flow.dag.yaml"))) expect(diagnostic.line).toBeGreaterThan(0);
    }
  });
});
