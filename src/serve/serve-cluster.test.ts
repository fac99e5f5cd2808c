import { describe, expect, it } from "vitest";
import { serveWorkerExecArgv } from "./serve-cluster.js";

describe("serveWorkerExecArgv", () => {
  it("gives serve workers a larger young generation, keeping the parent's flags", () => {
    expect(serveWorkerExecArgv(["--enable-source-maps"], "")).toEqual([
      "--enable-source-maps",
      "--max-semi-space-size=64",
    ]);
  });

  it("keeps a semi-space size the user chose, on the command line or in NODE_OPTIONS", () => {
    expect(serveWorkerExecArgv(["--max-semi-space-size=16"], "")).toEqual(["--max-semi-space-size=16"]);
    expect(serveWorkerExecArgv([], "--max_semi_space_size=32 --trace-gc")).toEqual([]);
  });
});
