import { createInterface } from "node:readline";
import { UserError } from "../core/errors.js";
import type { FlowFunction } from "../flow-function.js";
import type { CliContext } from "./cli-context.js";

/** One turn of promptflow's chat history: the turn's inputs (without the history) and outputs. */
export interface ChatTurn {
  inputs: Record<string, unknown>;
  outputs: Record<string, unknown>;
}

/**
 * `flow test --interactive`: reads one chat input per line from stdin, runs the flow with the history so
 * far (promptflow's `[{inputs, outputs}]`), streams the chat output to stdout, and ends at end of input.
 */
export async function runInteractiveChat(
  flow: FlowFunction,
  fixedInputs: Record<string, unknown>,
  context: CliContext,
): Promise<ChatTurn[]> {
  const { inputs, outputs } = flow.definition;
  const chatInput = Object.keys(inputs).find((name) => inputs[name]!.is_chat_input);
  const chatHistory = Object.keys(inputs).find((name) => inputs[name]!.is_chat_history);
  const chatOutput =
    Object.keys(outputs).find((name) => outputs[name]!.is_chat_output) ??
    (Object.keys(outputs).length === 1 ? Object.keys(outputs)[0] : undefined);
  if (!chatInput || !chatOutput) {
    throw new UserError(
      "NotAChatFlow",
      `--interactive needs a chat flow: mark one input 'is_chat_input: true'${chatOutput ? "" : " and one output 'is_chat_output: true'"} in ${flow.definition.file}.`,
      { location: { file: flow.definition.file } },
    );
  }
  const { stdout, stderr } = context.io;
  const history: ChatTurn[] = [];
  const lines = createInterface({
    input: context.io.stdin,
    terminal: false,
    crlfDelay: Number.POSITIVE_INFINITY,
  });
  stderr.write(`chatting with ${flow.definition.file} (one message per line; end input with Ctrl+D)\nUser: `);
  for await (const line of lines) {
    if (line.trim() === "") {
      stderr.write("User: ");
      continue;
    }
    const turnInputs: Record<string, unknown> = { ...fixedInputs, [chatInput]: line };
    const callInputs = chatHistory ? { ...turnInputs, [chatHistory]: history } : turnInputs;
    const turnOutputs: Record<string, unknown> = {};
    stderr.write("Bot: ");
    for await (const delta of flow.stream(callInputs)) {
      for (const [name, value] of Object.entries(delta)) {
        if (typeof value === "string" && typeof turnOutputs[name] === "string") {
          turnOutputs[name] = (turnOutputs[name] as string) + value;
        } else {
          turnOutputs[name] = value;
        }
        if (name === chatOutput) stdout.write(typeof value === "string" ? value : JSON.stringify(value));
      }
    }
    stdout.write("\n");
    history.push({ inputs: turnInputs, outputs: turnOutputs });
    stderr.write("User: ");
  }
  stderr.write("\n");
  return history;
}
