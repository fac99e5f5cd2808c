import type { LineRecord, RunStore } from "../../../stores/run-store.js";
import type { CliContext } from "../../cli-context.js";

/** A store that also prints each line as it is written (`--stream`). */
export function streamingStore(store: RunStore, context: CliContext): RunStore {
  return Object.assign(Object.create(store) as RunStore, {
    async putLine(line: LineRecord) {
      await store.putLine(line);
      const result =
        line.status === "Completed" ? JSON.stringify(line.outputs ?? {}) : (line.error?.message ?? "failed");
      context.log(`line ${line.line_number} ${line.status}${line.reused_from ? " (reused)" : ""}: ${result}`);
    },
  });
}
