import { access, mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { UserError } from "../../core/errors.js";
import type { ModelPort, ModelRequest, ModelResponse } from "../../core/model-port.js";
import { loadFlowExecutor } from "../../load-flow.js";
import { createRecordingStore, recordingKey } from "../../providers/record-replay.js";
import { type FlowTemplateType, flowTemplate, type TemplateOptions } from "./flow-templates.js";

/** The answer `flow init` records for the chat template: said to be a placeholder, not a model's. */
export const TEMPLATE_ANSWER =
  "This answer was written by `flowops flow init`, not by a model, so the template runs offline in replay mode. " +
  "Create the connection and run with FLOWOPS_LLM_MODE=record to record real answers.";

export interface InitFlowResult {
  folder: string;
  type: FlowTemplateType;
  files: string[];
}

/**
 * Writes a template flow into `folder` (created if needed). Files that already exist are never
 * overwritten: the command fails naming them. The chat template also gets `.recordings/` for its
 * default question and data lines, so `FLOWOPS_LLM_MODE=replay` runs it without a connection.
 */
export async function initFlow(
  folder: string,
  type: FlowTemplateType,
  options: TemplateOptions,
): Promise<InitFlowResult> {
  const files = flowTemplate(type, options);
  const existing: string[] = [];
  for (const name of Object.keys(files)) {
    if (
      await access(path.join(folder, name)).then(
        () => true,
        () => false,
      )
    )
      existing.push(name);
  }
  if (existing.length > 0)
    throw new UserError(
      "FlowExists",
      `--flow ${folder} already has ${existing.join(", ")}: choose a new folder (flow init never overwrites files).`,
      { field: "--flow", location: { file: folder } },
    );
  await mkdir(folder, { recursive: true });
  for (const [name, text] of Object.entries(files)) await writeFile(path.join(folder, name), text);
  const written = Object.keys(files);
  if (type === "chat") written.push(...(await recordTemplateAnswers(folder)));
  return { folder, type, files: written.sort() };
}

/** Runs the chat template on its default inputs and data lines with a port that records the placeholder answer. */
async function recordTemplateAnswers(folder: string): Promise<string[]> {
  const recordings = createRecordingStore(path.join(folder, ".recordings"));
  const keys = new Set<string>();
  const answer: ModelResponse = {
    text: TEMPLATE_ANSWER,
    message: { role: "assistant", content: TEMPLATE_ANSWER },
    finish_reason: "stop",
    usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 },
  };
  const record = async (request: ModelRequest) => {
    await recordings.write(request, answer);
    keys.add(path.join(".recordings", `${recordingKey(request)}.json`));
    return answer;
  };
  const models: ModelPort = {
    invoke: (request) => record(request),
    async *stream(request) {
      await record(request);
      yield { text: TEMPLATE_ANSWER };
      yield { usage: answer.usage, finish_reason: "stop" };
    },
  };
  const executor = await loadFlowExecutor(folder, { models, tracing: false });
  const data = (await readFile(path.join(folder, "data.jsonl"), "utf8"))
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  for (const inputs of [{}, ...data]) await executor.run(inputs);
  return [...keys];
}
