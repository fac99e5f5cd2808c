/**
 * Writes the example flows' model recordings (`<flow>/.recordings/<key>.json`) from the hand-written
 * answers in `answers.ts`, so the flows, their batch runs and the NER experiment run offline with
 * FLOWOPS_LLM_MODE=replay. Each data row (and each flow's default inputs) runs through the real flow
 * engine with a model port that answers from the table and stores the exchange with the providers'
 * own recording store, so the keys are computed by the same code that looks them up on replay.
 *
 *   node --import tsx flows/scripts/write-recordings.ts
 */
import { readFile, rm } from "node:fs/promises";
import path from "node:path";
import { loadFlowDefinition } from "../../src/core/check-flow.js";
import { createFlowExecutor } from "../../src/core/create-flow-executor.js";
import type { ChatMessage, ModelPort, ModelRequest, ModelResponse } from "../../src/core/model-port.js";
import { createRecordingStore, replayStream } from "../../src/providers/record-replay.js";
import { chatAnswers, nerAnswers, nerReadmeInputs } from "./answers.js";

const flows = path.resolve(import.meta.dirname, "..");

/** Rough token counts (about four characters a token), so recorded usage looks like a real model's. */
function usageOf(request: ModelRequest, answer: string): ModelResponse["usage"] {
  const promptChars =
    request.api === "chat" ? JSON.stringify(request.messages).length : JSON.stringify(request).length;
  const prompt_tokens = Math.ceil(promptChars / 4);
  const completion_tokens = Math.max(1, Math.ceil(answer.length / 4));
  return { prompt_tokens, completion_tokens, total_tokens: prompt_tokens + completion_tokens };
}

function lastUserText(request: ModelRequest): string {
  if (request.api !== "chat") throw new Error(`the example flows only make chat calls, not ${request.api}`);
  const user = request.messages.filter((m: ChatMessage) => m.role === "user").at(-1);
  return typeof user?.content === "string" ? user.content : "";
}

/** A model port that answers from a table and records every exchange. */
function answeringPort(
  recordingsDir: string,
  answer: (request: ModelRequest) => string,
): ModelPort & { count(): number } {
  const recordings = createRecordingStore(recordingsDir);
  let written = 0;
  const invoke = async (request: ModelRequest): Promise<ModelResponse> => {
    const text = answer(request);
    const response: ModelResponse = {
      text,
      message: { role: "assistant", content: text },
      finish_reason: "stop",
      usage: usageOf(request, text),
      model: request.model,
    };
    await recordings.write(request, response);
    written++;
    return response;
  };
  return {
    invoke,
    async *stream(request) {
      yield* replayStream(await invoke(request));
    },
    count: () => written,
  };
}

async function readJsonl(file: string): Promise<Record<string, unknown>[]> {
  const text = await readFile(file, "utf8");
  return text
    .split("\n")
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

async function recordNer(): Promise<number> {
  const directory = path.join(flows, "named-entity-recognition");
  const recordingsDir = path.join(directory, ".recordings");
  await rm(recordingsDir, { recursive: true, force: true });
  let variant: "variant_0" | "variant_1" = "variant_0";
  const port = answeringPort(recordingsDir, (request) => {
    const user = lastUserText(request);
    const text = Object.keys(nerAnswers).find((t) => user.includes(`Text content: ${t}`));
    if (!text) throw new Error(`answers.ts has no NER answer for: ${user}`);
    return nerAnswers[text]![variant];
  });
  const executor = await createFlowExecutor(await loadFlowDefinition(directory), { models: port });
  const defaults = Object.fromEntries(
    Object.entries(executor.definition.inputs).map(([k, v]) => [k, v.default]),
  );
  const rows = [
    defaults,
    ...nerReadmeInputs,
    ...(await readJsonl(path.join(directory, "data/ner-train.jsonl"))),
    ...(await readJsonl(path.join(directory, "data/ner-test.jsonl"))),
  ];
  for (const id of ["variant_0", "variant_1"] as const) {
    variant = id;
    for (const row of rows) {
      await executor.run(
        { text: row["text"], entity_type: row["entity_type"] },
        { variant: `\${NER_LLM.${id}}` },
      );
    }
  }
  return port.count();
}

async function recordChat(): Promise<number> {
  const directory = path.join(flows, "chat");
  const recordingsDir = path.join(directory, ".recordings");
  await rm(recordingsDir, { recursive: true, force: true });
  const port = answeringPort(recordingsDir, (request) => {
    const question = lastUserText(request).trim();
    const answer = chatAnswers[question];
    if (!answer) throw new Error(`answers.ts has no chat answer for: ${question}`);
    return answer;
  });
  const executor = await createFlowExecutor(await loadFlowDefinition(directory), { models: port });
  const rows = await readJsonl(path.join(directory, "data/questions.jsonl"));
  // The data is one conversation: each row's history must be the earlier rows with their answers, or
  // an interactive chat typing the same questions would ask for prompts that were never recorded.
  const history: { inputs: { question: string }; outputs: { answer: string } }[] = [];
  for (const [index, row] of rows.entries()) {
    if (JSON.stringify(row["chat_history"]) !== JSON.stringify(history)) {
      throw new Error(
        `chat/data/questions.jsonl row ${index + 1}: chat_history must be the earlier turns with the answers in answers.ts`,
      );
    }
    const question = String(row["question"]);
    const { outputs } = await executor.run({ chat_history: history, question });
    history.push({ inputs: { question }, outputs: { answer: String(outputs["answer"]) } });
  }
  const first = executor.definition.inputs["question"]!.default;
  if (rows[0]?.["question"] !== first) await executor.run({ chat_history: [], question: first });
  return port.count();
}

const ner = await recordNer();
const chat = await recordChat();
console.log(`wrote ${ner} NER and ${chat} chat recordings`);
