import { type Diagnostic, formatDiagnostic, UserError } from "../../core/errors.js";

/** An experiment file that cannot run: every problem found, each with file:line and field. */
export class ExperimentValidationError extends UserError {
  readonly diagnostics: Diagnostic[];
  constructor(diagnostics: Diagnostic[]) {
    const n = diagnostics.length;
    super(
      "ExperimentValidation",
      `${n} problem${n === 1 ? "" : "s"} in the experiment:\n${diagnostics.map((d) => `  - ${formatDiagnostic(d)}`).join("\n")}`,
      diagnostics[0]?.file ? { location: { file: diagnostics[0].file } } : {},
    );
    this.diagnostics = diagnostics;
  }
}

/** Quality gates failed: the message names each failed gate with its actual value. */
export class GateFailedError extends UserError {
  readonly failures: string[];
  constructor(experiment: string, failures: string[]) {
    super(
      "GateFailed",
      `experiment '${experiment}': ${failures.length} quality gate${failures.length === 1 ? "" : "s"} failed:\n${failures.map((f) => `  - ${f}`).join("\n")}`,
    );
    this.failures = failures;
  }
}
