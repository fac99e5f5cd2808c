import { once } from "node:events";
import { createWriteStream, type WriteStream } from "node:fs";
import { cp, mkdir, readdir, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { UserError } from "../core/errors.js";
import { RunNotFoundError } from "../stores/errors.js";
import type { LineRecord, RunRecord, RunStore } from "../stores/run-store.js";

/** promptflow's names inside a run's output folder (`~/.promptflow/.runs/<run>/`). */
export const RUN_FOLDER_FILES = {
  meta: "meta.json",
  inputs: "inputs.jsonl",
  outputs: "outputs.jsonl",
  metrics: "metrics.json",
  error: "error.json",
  flowOutputs: path.join("flow_outputs", "output.jsonl"),
  flowArtifacts: "flow_artifacts",
  nodeArtifacts: "node_artifacts",
  snapshot: "snapshot",
} as const;

/** What the snapshot leaves out of the flow folder (as promptflow's ignore list does). */
const SNAPSHOT_SKIP = new Set(["__pycache__", "node_modules", ".git", ".runs", ".promptflow", ".venv"]);
/** promptflow pads line numbers to nine digits in artifact file names. */
const width = 9;

export interface ExportSummary {
  folder: string;
  lines: number;
  files: string[];
}

/**
 * Writes a run as promptflow's run output folder, so tools that read `~/.promptflow/.runs/<run>` read it:
 * `flow_outputs/output.jsonl` (completed lines' outputs with `line_number`), `inputs.jsonl`,
 * `outputs.jsonl`, `metrics.json`, `meta.json`, `flow_artifacts/` (one line-run record per line),
 * `node_artifacts/` (for flows whose node outputs were kept), `error.json` when lines or the run failed,
 * and `snapshot/` (the flow folder). `folder` must not exist or be empty: nothing is overwritten.
 */
export async function exportRun(store: RunStore, name: string, folder: string): Promise<ExportSummary> {
  const run = await store.getRun(name);
  if (!run) throw new RunNotFoundError(name);
  await requireEmptyFolder(folder);
  await mkdir(path.join(folder, "flow_outputs"), { recursive: true });
  await mkdir(path.join(folder, RUN_FOLDER_FILES.flowArtifacts));
  const files: string[] = [];
  const json = async (relative: string, value: unknown) => {
    await mkdir(path.dirname(path.join(folder, relative)), { recursive: true });
    await writeFile(path.join(folder, relative), `${JSON.stringify(value, null, 2)}\n`);
    files.push(relative);
  };
  await json(RUN_FOLDER_FILES.meta, { batch_size: 1 });

  const inputs = lineWriter(folder, RUN_FOLDER_FILES.inputs);
  const outputs = lineWriter(folder, RUN_FOLDER_FILES.outputs);
  const flowOutputs = lineWriter(folder, RUN_FOLDER_FILES.flowOutputs);
  const failures: { line_number: number; error: unknown }[] = [];
  const nodes = new Set<string>();
  let lines = 0;
  try {
    for await (const line of store.iterateLines(name)) {
      lines++;
      await inputs.write({ line_number: line.line_number, ...line.inputs });
      if (line.status === "Completed" && line.outputs) {
        const row = { line_number: line.line_number, ...line.outputs };
        await outputs.write(row);
        await flowOutputs.write(row);
      }
      if (line.error) failures.push({ line_number: line.line_number, error: line.error });
      const artifact = `${pad(line.line_number)}_${pad(line.line_number)}.jsonl`;
      await writeFile(
        path.join(folder, RUN_FOLDER_FILES.flowArtifacts, artifact),
        `${JSON.stringify(lineRunRecord(run, line))}\n`,
      );
      await writeNodeRecords(folder, line, nodes);
    }
  } finally {
    await Promise.all([inputs.close(), outputs.close(), flowOutputs.close()]);
  }
  files.push(RUN_FOLDER_FILES.inputs, RUN_FOLDER_FILES.outputs, RUN_FOLDER_FILES.flowOutputs);
  if (lines > 0) files.push(RUN_FOLDER_FILES.flowArtifacts);
  if (nodes.size > 0) files.push(RUN_FOLDER_FILES.nodeArtifacts);
  await json(RUN_FOLDER_FILES.metrics, run.metrics ?? {});
  if (run.error || failures.length > 0) await json(RUN_FOLDER_FILES.error, errorFile(run, failures));
  if (await copySnapshot(run.flow, path.join(folder, RUN_FOLDER_FILES.snapshot)))
    files.push(RUN_FOLDER_FILES.snapshot);
  return { folder, lines, files: files.sort() };
}

/** promptflow's LineRunRecord: the line's flow run info, with its times, status and tags. */
function lineRunRecord(run: RunRecord, line: LineRecord): Record<string, unknown> {
  return {
    line_number: line.line_number,
    run_info: {
      run_id: `${run.name}_${line.line_number}`,
      root_run_id: run.name,
      flow_id: run.name,
      parent_run_id: run.name,
      status: line.status,
      inputs: line.inputs,
      output: line.outputs ?? null,
      error: line.error ?? null,
      start_time: line.start_time,
      end_time: line.end_time,
      index: line.line_number,
      system_metrics: line.usage ?? {},
      variant_id: run.variant ?? "",
    },
    start_time: line.start_time,
    end_time: line.end_time,
    name: "",
    description: "",
    status: line.status,
    tags: null,
  };
}

/** node_artifacts/<node>/<line>.jsonl, for the nodes whose outputs the run kept (aggregation flows). */
async function writeNodeRecords(folder: string, line: LineRecord, nodes: Set<string>): Promise<void> {
  for (const [node, output] of Object.entries(line.node_outputs ?? {})) {
    const dir = path.join(folder, RUN_FOLDER_FILES.nodeArtifacts, safeName(node));
    await mkdir(dir, { recursive: true });
    const record = {
      NodeName: node,
      line_number: line.line_number,
      run_info: { node, flow_run_id: line.run, index: line.line_number, status: "Completed", output },
      start_time: line.start_time,
      end_time: line.end_time,
      status: "Completed",
    };
    await writeFile(path.join(dir, `${pad(line.line_number)}.jsonl`), `${JSON.stringify(record)}\n`);
    nodes.add(node);
  }
}

function errorFile(run: RunRecord, failures: { line_number: number; error: unknown }[]): unknown {
  const first = failures[0]?.error as { message?: string; code?: string } | undefined;
  return {
    code: run.error?.code ?? "BulkRunException",
    message:
      run.error?.message ??
      `Failed to run ${failures.length}/${run.lines.total} lines. First error message is: ${first?.message ?? ""}`,
    failed_lines: failures.length,
    total_lines: run.lines.total,
    errors: failures,
  };
}

async function copySnapshot(flow: string, target: string): Promise<boolean> {
  const info = await stat(flow).catch(() => undefined);
  if (!info) return false; // a registry reference (name:version) or a flow that moved
  const source = info.isDirectory() ? flow : path.dirname(flow);
  await cp(source, target, {
    recursive: true,
    filter: (item) => !SNAPSHOT_SKIP.has(path.basename(item)),
  });
  return true;
}

async function requireEmptyFolder(folder: string): Promise<void> {
  const entries = await readdir(folder).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return [];
    throw new UserError("ExportFolderUnusable", `--output ${folder}: ${error.message}.`, {
      field: "--output",
    });
  });
  if (entries.length > 0)
    throw new UserError(
      "ExportFolderNotEmpty",
      `--output ${folder} is not empty: give a new or empty folder (nothing is overwritten).`,
      { field: "--output", location: { file: folder } },
    );
}

function lineWriter(folder: string, relative: string) {
  const stream = createWriteStream(path.join(folder, relative));
  return {
    async write(value: unknown): Promise<void> {
      if (!stream.write(`${JSON.stringify(value)}\n`)) await once(stream, "drain");
    },
    close: () => closeStream(stream),
  };
}

function closeStream(stream: WriteStream): Promise<void> {
  return new Promise((resolve, reject) =>
    stream.end((error?: Error | null) => (error ? reject(error) : resolve())),
  );
}

function pad(n: number): string {
  return String(n).padStart(width, "0");
}

/** A node name as a folder name (node names are identifiers; this only guards the path). */
function safeName(node: string): string {
  return node.replace(/[^\w.-]/g, "_");
}
