import { createInterface } from "node:readline";
import { findChatHistoryInput } from "../core/chat-history-input.js";
import { UserError } from "../core/errors.js";
import type { FlowFunction } from "../flow-function.js";
import type { CliContext } from "./cli-context.js";
import { reportError } from "./report-error.js";

/** One turn of promptflow's chat history: the turn's inputs (without the history) and outputs. */
export interface ChatTurn {
  inputs: Record<string, unknown>;
  outputs: Record<string, unknown>;
}

export interface ChatSession {
  /** The turns that were answered (the history the next turn would see). */
  history: ChatTurn[];
  /** Turns asked, and how many of them failed. */
  turns: number;
  failed: number;
}

/**
 * `flow test --interactive`: reads one chat input per line from stdin, runs the flow with the history so
 * far (promptflow's `[{inputs, outputs}]`), streams the chat output to stdout, and ends at end of input.
 * A turn that fails prints its error and leaves the history as it was; the chat goes on.
 */
export async function runInteractiveChat(
  flow: FlowFunction,
  fixedInputs: Record<string, unknown>,
  context: CliContext,
  reportTurnError: (error: unknown) => void = (error) =>
    reportError(error, { stderr: context.io.stderr, verbose: context.verbose }),
): Promise<ChatSession> {
  const { inputs, outputs } = flow.definition;
  for (const [section, names] of [
    ["input", Object.keys(inputs).filter((name) => inputs[name]!.is_chat_input)],
    ["output", Object.keys(outputs).filter((name) => outputs[name]!.is_chat_output)],
  ] as const) {
    if (names.length > 1)
      throw new UserError(
        "MultipleChatFlags",
        `--interactive: a chat flow does not support multiple chat ${section}s: ${names.join(", ")} are all marked 'is_chat_${section}: true' in ${flow.definition.file}; keep the flag on one of them.`,
        { location: { file: flow.definition.file }, field: `${section}s.${names[1]}.is_chat_${section}` },
      );
  }
  const chatInput = Object.keys(inputs).find((name) => inputs[name]!.is_chat_input);
  const chatHistory = findChatHistoryInput(inputs);
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
  let turns = 0;
  let failed = 0;
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
    turns++;
    let started = false;
    try {
      for await (const delta of flow.stream(callInputs)) {
        for (const [name, value] of Object.entries(delta)) {
          if (typeof value === "string" && typeof turnOutputs[name] === "string") {
            turnOutputs[name] = (turnOutputs[name] as string) + value;
          } else {
            turnOutputs[name] = value;
          }
          if (name === chatOutput) {
            started = true;
            stdout.write(typeof value === "string" ? value : JSON.stringify(value));
          }
        }
      }
      stdout.write("\n");
      history.push({ inputs: turnInputs, outputs: turnOutputs });
    } catch (error) {
      failed++;
      if (started) stdout.write("\n");
      else stderr.write("\n");
      reportTurnError(error);
      stderr.write("(this turn is left out of the history; type another message, or Ctrl+D to end)\n");
    }
    stderr.write("User: ");
  }
  stderr.write("\n");
  return { history, turns, failed };
}
