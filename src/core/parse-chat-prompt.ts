import { CHAT_ROLES, keyAndContent, splitOnRoleMarkers, toolCallsText } from "./chat-scan.js";
import { UserError } from "./errors.js";
import type { ChatMessage, ChatRole, ChatToolCall } from "./model-port.js";
import { unescapeDeep, unescapeText } from "./role-escape.js";

/** A rendered chat prompt that does not follow the role-marker format. */
export class ChatPromptError extends UserError {}

interface Draft {
  role: ChatRole;
  content?: string;
  name?: string;
  tool_calls?: ChatToolCall[];
  tool_call_id?: string;
}

function parseToolCalls(chunk: string): ChatToolCall[] | undefined {
  const text = toolCallsText(chunk);
  if (text === undefined) return undefined;
  for (const candidate of [text, pythonLiteralToJson(text)]) {
    try {
      const parsed: unknown = JSON.parse(candidate);
      if (Array.isArray(parsed)) return parsed as ChatToolCall[];
    } catch {
      // try the next reading
    }
  }
  return undefined;
}

/** promptflow evaluates `tool_calls` as a Python literal; accept the common Python spellings. */
function pythonLiteralToJson(text: string): string {
  return text
    .replace(/'/g, '"')
    .replace(/\bTrue\b/g, "true")
    .replace(/\bFalse\b/g, "false")
    .replace(/\bNone\b/g, "null");
}

const preview = (text: string): string => (text.length > 60 ? `${text.slice(0, 60)}...` : text);

/**
 * Parses a rendered chat prompt into messages, as promptflow's `parse_chat`: a role marker is a line
 * `system:`, `user:`, `assistant:`, `function:` or `tool:` (case-insensitive, optionally `# system:`),
 * alone on its line; the message content runs to the next marker and is trimmed. A `function` message
 * needs `name:\nNAME\ncontent:\n...`; other roles may have one. A `tool` message needs
 * `tool_call_id:\nID\ncontent:\n...`; an assistant message may carry `tool_calls:\n[...]`. Text before
 * the first marker is an error. Words the renderer escaped in printed values (role-escape.ts) are
 * restored inside the messages.
 * Linear time in the text's length (chat-scan.ts), whatever the text.
 */
export function parseChatPrompt(text: string): ChatMessage[] {
  const chunks = splitOnRoleMarkers(text);
  const drafts: Draft[] = [];
  for (const chunk of chunks) {
    const last = drafts.at(-1);
    if (last?.role === "tool" && last.content === undefined) {
      const match = keyAndContent(chunk, "tool_call_id");
      if (!match) {
        throw new ChatPromptError(
          "ChatAPIToolRoleInvalidFormat",
          "Failed to parse a tool message in the chat prompt: write 'tool_call_id:' and the id on the next line, then 'content:' and the tool's result.",
        );
      }
      last.tool_call_id = match.value;
      last.content = match.content.trim();
      continue;
    }
    if (last?.role === "assistant") {
      const toolCalls = parseToolCalls(chunk);
      if (toolCalls) {
        last.tool_calls = toolCalls;
        continue;
      }
    }
    if (last && last.content === undefined && last.tool_calls === undefined) {
      const match = keyAndContent(chunk, "name");
      if (match) {
        last.name = match.value;
        last.content = match.content.trim();
      } else if (last.role === "function") {
        throw new ChatPromptError(
          "ChatAPIFunctionRoleInvalidFormat",
          "Failed to parse a function message in the chat prompt: write 'name:' and the function name on the next line, then 'content:' and the function's result.",
        );
      } else {
        last.content = chunk.trim();
      }
      continue;
    }
    if (chunk.trim() === "") continue;
    const role = chunk.trim().toLowerCase();
    if (!(CHAT_ROLES as readonly string[]).includes(role)) {
      const shown = unescapeText(chunk.trim());
      throw new ChatPromptError(
        "ChatAPIInvalidRole",
        `The chat prompt must be written as messages, each starting with a role line ('system:', 'user:', 'assistant:', 'function:' or 'tool:' alone on its line), but it has text outside any message: '${preview(shown)}'. Add a role line before it, or use api: completion.`,
      );
    }
    drafts.push({ role: role as ChatRole });
  }
  return drafts.map(toMessage);
}

function toMessage(draft: Draft): ChatMessage {
  const message: ChatMessage = {
    role: draft.role,
    content: draft.content === undefined ? null : unescapeText(draft.content),
  };
  if (draft.name !== undefined) message.name = unescapeText(draft.name);
  if (draft.tool_calls !== undefined) message.tool_calls = unescapeDeep(draft.tool_calls);
  if (draft.tool_call_id !== undefined) message.tool_call_id = unescapeText(draft.tool_call_id);
  return message;
}
