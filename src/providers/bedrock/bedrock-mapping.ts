import type {
  ContentBlock,
  ConverseCommandInput,
  ConverseCommandOutput,
  ConverseStreamOutput,
  Message,
  Tool,
  ToolChoice,
} from "@aws-sdk/client-bedrock-runtime";
import type {
  ChatContentPart,
  ChatMessage,
  ChatRequest,
  ChatToolCall,
  ModelResponse,
  ModelStreamChunk,
} from "../../core/model-port.js";
import { compact } from "../compact.js";
import {
  assistantResponse,
  parseToolArguments,
  textOfContent,
  toAlternatingTurns,
  toFinishReason,
  tokenUsage,
} from "../vendor-chat-mapping.js";

const finishReasons: Record<string, string> = {
  end_turn: "stop",
  stop_sequence: "stop",
  max_tokens: "length",
  tool_use: "tool_calls",
  content_filtered: "content_filter",
  guardrail_intervened: "content_filter",
};

/** ChatRequest → Converse input: system messages go to `system`, tools to `toolConfig`. */
export function toConverseInput(request: ChatRequest): ConverseCommandInput {
  const p = request.parameters;
  const system = request.messages
    .filter((m) => m.role === "system")
    .map((m) => ({ text: textOfContent(m.content) }));
  const messages: Message[] = toAlternatingTurns(request.messages, toBlocks);
  const inference = compact({
    maxTokens: p.max_tokens,
    temperature: p.temperature,
    topP: p.top_p,
    stopSequences: p.stop && p.stop.length > 0 ? p.stop : undefined,
  });
  const tools = (p.tools ?? []).map(toBedrockTool);
  const toolChoice = toBedrockToolChoice(p.tool_choice);
  return compact({
    modelId: request.model,
    messages,
    system: system.length > 0 ? system : undefined,
    inferenceConfig: Object.keys(inference).length > 0 ? inference : undefined,
    toolConfig: tools.length > 0 ? compact({ tools, toolChoice }) : undefined,
    additionalModelRequestFields: p.extra as never,
  }) as ConverseCommandInput;
}

function toBlocks(m: ChatMessage): ContentBlock[] {
  if (m.role === "tool" || m.role === "function") {
    return [
      {
        toolResult: {
          toolUseId: m.tool_call_id ?? m.name ?? "",
          content: [{ text: textOfContent(m.content) }],
        },
      },
    ];
  }
  const blocks: ContentBlock[] = [];
  if (typeof m.content === "string" && m.content) blocks.push({ text: m.content });
  if (Array.isArray(m.content)) blocks.push(...m.content.map(toContentBlock));
  for (const call of m.tool_calls ?? []) {
    blocks.push({
      toolUse: { toolUseId: call.id, name: call.function.name, input: parseToolArguments(call) as never },
    });
  }
  return blocks;
}

function toContentBlock(part: ChatContentPart): ContentBlock {
  if (part.type === "text") return { text: part.text };
  const data = /^data:image\/([a-z]+);base64,(.*)$/s.exec(part.image_url.url);
  if (!data) return { text: `[image: ${part.image_url.url}]` };
  return {
    image: {
      format: data[1] as "png" | "jpeg" | "gif" | "webp",
      source: { bytes: Buffer.from(data[2] ?? "", "base64") },
    },
  };
}

function toBedrockTool(tool: unknown): Tool {
  const t = tool as { function?: { name: string; description?: string; parameters?: unknown } };
  if (!t.function) return tool as Tool;
  return {
    toolSpec: compact({
      name: t.function.name,
      description: t.function.description,
      inputSchema: { json: (t.function.parameters ?? { type: "object", properties: {} }) as never },
    }),
  };
}

function toBedrockToolChoice(choice: unknown): ToolChoice | undefined {
  if (choice === "auto") return { auto: {} };
  if (choice === "required") return { any: {} };
  const named = choice as { function?: { name: string } } | undefined;
  if (named?.function?.name) return { tool: { name: named.function.name } };
  return undefined;
}

export function fromConverseOutput(output: ConverseCommandOutput, model: string): ModelResponse {
  const blocks = output.output?.message?.content ?? [];
  const text = blocks.map((b) => b.text ?? "").join("");
  const toolCalls: ChatToolCall[] = blocks.flatMap((b) =>
    b.toolUse
      ? [
          {
            id: b.toolUse.toolUseId ?? "",
            type: "function" as const,
            function: { name: b.toolUse.name ?? "", arguments: JSON.stringify(b.toolUse.input ?? {}) },
          },
        ]
      : [],
  );
  return assistantResponse({
    text,
    toolCalls,
    finishReason: toFinishReason(finishReasons, output.stopReason),
    usage: usageOf(output.usage),
    model,
  });
}

/** ConverseStream events: text deltas, then `messageStop` (stop reason) and `metadata` (usage). */
export function fromConverseStreamEvent(event: ConverseStreamOutput): ModelStreamChunk | undefined {
  if (event.contentBlockDelta?.delta?.text) return { text: event.contentBlockDelta.delta.text };
  const reason = toFinishReason(finishReasons, event.messageStop?.stopReason);
  if (reason) return { finish_reason: reason };
  if (event.metadata?.usage) return { usage: usageOf(event.metadata.usage) };
  return undefined;
}

function usageOf(usage: { inputTokens?: number; outputTokens?: number; totalTokens?: number } | undefined) {
  return tokenUsage(usage?.inputTokens ?? 0, usage?.outputTokens ?? 0, usage?.totalTokens);
}
