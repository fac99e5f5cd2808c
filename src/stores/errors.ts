import { FlowopsError, UserError } from "../core/errors.js";

/** A run with this name already exists in the store. */
export class RunExistsError extends UserError {
  readonly run: string;
  constructor(name: string) {
    super(
      "RunExists",
      `A run named '${name}' already exists. Pick another name with --name, or delete the old run with ` +
        `'flowops run delete --name ${name}'.`,
      { field: "name" },
    );
    this.run = name;
  }
}

/** No run with this name in the store. */
export class RunNotFoundError extends UserError {
  readonly run: string;
  constructor(name: string) {
    super("RunNotFound", `No run named '${name}'. List the runs with 'flowops run list'.`, { field: "name" });
    this.run = name;
  }
}

/** An update with `ifMatch` lost a race: the run changed since it was read. Read it again and retry. */
export class ConcurrencyConflictError extends FlowopsError {
  readonly run: string;
  constructor(name: string, expected: string, actual: string | undefined) {
    super(
      "ConcurrencyConflict",
      `Run '${name}' changed while it was being updated (expected version ${expected}, found ${actual ?? "none"}). ` +
        "Read the run again and retry the update.",
      { retryable: true },
    );
    this.run = name;
  }
}
