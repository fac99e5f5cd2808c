import { toRunView } from "../../../runs/index.js";
import type { RunRecord } from "../../../stores/run-store.js";
import type { CliContext } from "../../cli-context.js";
import { printJson } from "../../print-json.js";
import { ExitCode } from "../../report-error.js";
import { EXIT_CANCELED } from "../../with-stop-signal.js";

/**
 * Prints a finished run (its name, or its JSON) and sets the exit code from its status: 1 when the run
 * failed, when any line failed, or when its aggregation failed; 130 when canceled.
 */
export function reportOutcome(
  record: RunRecord,
  canceled: boolean,
  format: string,
  context: CliContext,
): void {
  const { name, lines } = record;
  if (format === "json") printJson(context, toRunView(record));
  else context.io.stdout.write(`${name}\n`);
  const counts = `${lines.completed}/${lines.total} lines completed, ${lines.failed} failed`;
  if (record.status === "Failed") {
    context.log(
      `error: run '${name}' failed: ${record.error?.message ?? "unknown error"} (flowops run show --name ${name} has the details; fix the cause and create the run again)`,
    );
    context.exitCode = ExitCode.Failure;
    return;
  }
  if (canceled || record.status === "Canceled") {
    context.log(
      `run '${name}' canceled (${counts}): resume it with 'flowops run create --resume-from ${name}'`,
    );
    context.exitCode = EXIT_CANCELED;
    return;
  }
  context.log(`run '${name}' ${record.status}: ${counts}`);
  if (lines.failed > 0) {
    // The run is kept (its good lines count), but a script or CI step must notice: exit 1.
    context.log(
      `error: ${lines.failed} line${lines.failed === 1 ? "" : "s"} failed: see 'flowops run show-details --name ${name} --full', rerun them with 'flowops run create --resume-from ${name}'`,
    );
    context.exitCode = ExitCode.Failure;
  }
  if (record.error) {
    context.log(`error: run '${name}': evaluation (aggregation) failed: ${record.error.message}`);
    context.exitCode = ExitCode.Failure;
  }
}
