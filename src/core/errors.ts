/**
 * Every error flowops raises on purpose is a FlowopsError: a stable `code`, a message for humans that
 * names the file/line/node/field and the fix, an optional `cause`, and whether a retry could help.
 * User errors (bad flow, bad input, bad config) are printed without a stack trace; system errors
 * show one under `--verbose`.
 */
export type ErrorTarget = "flow" | "node" | "input" | "connection" | "provider" | "run" | "store" | "cli";

export interface FlowopsErrorOptions {
  cause?: unknown;
  retryable?: boolean;
  /** Where the problem is: a file path, optionally with line and column. */
  location?: { file?: string; line?: number; column?: number };
  /** The node, input or field concerned. */
  node?: string;
  field?: string;
}

export class FlowopsError extends Error {
  readonly code: string;
  readonly retryable: boolean;
  readonly location: FlowopsErrorOptions["location"];
  readonly node: string | undefined;
  readonly field: string | undefined;
  /** A user error is the user's to fix (bad flow, input, config); it is reported without a stack. */
  readonly isUserError: boolean = false;

  constructor(code: string, message: string, options: FlowopsErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.retryable = options.retryable ?? false;
    this.location = options.location;
    this.node = options.node;
    this.field = options.field;
  }

  /** A JSON-safe view for run records, HTTP responses and traces (no stack, no cause chain). */
  toJSON(): { code: string; message: string; node?: string; field?: string; location?: unknown } {
    return {
      code: this.code,
      message: this.message,
      ...(this.node ? { node: this.node } : {}),
      ...(this.field ? { field: this.field } : {}),
      ...(this.location ? { location: this.location } : {}),
    };
  }
}

/** Something the user can fix: a flow, an input, a connection file, a command line. */
export class UserError extends FlowopsError {
  override readonly isUserError = true;
}

/** One problem found in a flow definition. Validation collects all of them. */
export interface Diagnostic {
  code: string;
  message: string;
  file?: string;
  line?: number;
  column?: number;
  node?: string;
  field?: string;
}

/** A flow that failed validation: carries every diagnostic, and prints them all. */
export class FlowValidationError extends UserError {
  readonly diagnostics: Diagnostic[];
  constructor(diagnostics: Diagnostic[]) {
    super("FlowValidation", formatDiagnostics(diagnostics));
    this.diagnostics = diagnostics;
  }
}

/** Inputs given to a flow do not fit its declared inputs (missing, wrong type). */
export class InputError extends UserError {}

/** A node failed while executing; `node` names it and `cause` holds what it threw. */
export class NodeExecutionError extends FlowopsError {}

/** Execution features that are recognised but not supported yet (e.g. python nodes). */
export class NotSupportedError extends UserError {}

export function formatDiagnostic(d: Diagnostic): string {
  const where = d.file ? `${d.file}${d.line ? `:${d.line}${d.column ? `:${d.column}` : ""}` : ""}: ` : "";
  const what = d.node
    ? `node '${d.node}'${d.field ? ` field '${d.field}'` : ""}: `
    : d.field
      ? `'${d.field}': `
      : "";
  return `${where}${what}${d.message}`;
}

export function formatDiagnostics(diagnostics: Diagnostic[]): string {
  const n = diagnostics.length;
  return `${n} problem${n === 1 ? "" : "s"} in the flow:\n${diagnostics.map((d) => `  - ${formatDiagnostic(d)}`).join("\n")}`;
}
