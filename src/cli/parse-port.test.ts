import { describe, expect, it } from "vitest";
import { InputError } from "../core/errors.js";
import { parsePort } from "./parse-port.js";
import { ExitCode, reportError } from "./report-error.js";

describe("parsePort", () => {
  it("accepts 0 (any free port) to 65535", () => {
    expect(parsePort("0")).toBe(0);
    expect(parsePort("8080")).toBe(8080);
    expect(parsePort("65535")).toBe(65535);
  });

  it("refuses anything else as a usage error (exit 2) naming --port", () => {
    for (const bad of ["abc", "", "-1", "65536", "80.5", "1e3", "0x50"]) {
      let error: unknown;
      try {
        parsePort(bad);
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(InputError);
      expect((error as Error).message).toContain(`--port '${bad}'`);
      const written: string[] = [];
      expect(
        reportError(error, { stderr: { write: (text: string) => written.push(text) }, verbose: false }),
      ).toBe(ExitCode.Usage);
      expect(written.join("")).not.toMatch(/internal error/);
    }
  });
});
