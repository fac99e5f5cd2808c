import type { FlowInputDefinition } from "./flow-definition.js";

/**
 * The flow input holding the chat history, as promptflow finds it (`is_executable_chat_flow`): the one
 * marked `is_chat_history: true`, else an input named `chat_history` not marked `is_chat_history: false`.
 */
export function findChatHistoryInput(inputs: Record<string, FlowInputDefinition>): string | undefined {
  const marked = Object.keys(inputs).find((name) => inputs[name]!.is_chat_history === true);
  if (marked) return marked;
  const named = inputs["chat_history"];
  return named && named.is_chat_history !== false ? "chat_history" : undefined;
}
