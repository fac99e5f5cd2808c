import type { StoredBulkRequest } from "./bulk-run-request.js";

/** The run of each phase: the bulk run itself, then `<run>-eval-<flow>` per evaluation (`-<i>` when a flow repeats). */
export function phaseRuns(request: Pick<StoredBulkRequest, "name" | "evaluations">): string[] {
  const seen = new Map<string, number>();
  const evaluations = request.evaluations.map((evaluation) => {
    const count = seen.get(evaluation.flow) ?? 0;
    seen.set(evaluation.flow, count + 1);
    return `${request.name}-eval-${evaluation.flow}${count > 0 ? `-${count}` : ""}`;
  });
  return [request.name, ...evaluations];
}
