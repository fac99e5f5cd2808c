import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { UserError } from "../core/errors.js";

/** The file an experiment's `--output` folder holds its gate results in. */
export const GATES_FILE = "gates.json";

const gateSchema = z
  .object({
    metric: z.string(),
    passed: z.boolean(),
    message: z.string().optional(),
  })
  .loose();
const gatesFileSchema = z.union([
  z.array(gateSchema),
  z.object({ passed: z.boolean().optional(), gates: z.array(gateSchema) }).loose(),
]);

export interface ExperimentGates {
  /** Every gate passed (and the file did not say otherwise). */
  passed: boolean;
  /** Messages of the gates that failed. */
  failures: string[];
  total: number;
  file: string;
}

/** The experiment output has no readable gate results. */
export class GatesFileError extends UserError {}

/**
 * Reads an experiment's gate results: `<folder>/gates.json` (or that file itself), holding either
 * the GateResult list or `{ passed, gates: GateResult[] }` as `flowops experiment run --output`
 * writes them. `--if-gates-pass` registers only when this says `passed`.
 */
export async function readExperimentGates(output: string): Promise<ExperimentGates> {
  const info = await stat(output).catch(() => undefined);
  const file = info?.isDirectory() ? path.join(output, GATES_FILE) : output;
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (cause) {
    throw new GatesFileError(
      "GatesNotFound",
      `--if-gates-pass: no gate results at ${file}. Point it at the --output folder of 'flowops experiment run' (it writes ${GATES_FILE}).`,
      { cause, location: { file } },
    );
  }
  let parsed: z.infer<typeof gatesFileSchema>;
  try {
    parsed = gatesFileSchema.parse(JSON.parse(text));
  } catch (cause) {
    throw new GatesFileError(
      "GatesUnreadable",
      `--if-gates-pass: ${file} is not a gate results file (a JSON list of {metric, passed, message} or {passed, gates: [...]}).`,
      { cause, location: { file } },
    );
  }
  const gates = Array.isArray(parsed) ? parsed : parsed.gates;
  const declared = Array.isArray(parsed) ? undefined : parsed.passed;
  const failures = gates.filter((gate) => !gate.passed).map((gate) => gate.message ?? gate.metric);
  return { passed: failures.length === 0 && declared !== false, failures, total: gates.length, file };
}
