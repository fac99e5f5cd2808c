import type { ChatContentPart, ChatMessage } from "../model-port.js";

const IMAGE = /!\[[^\]]*\]\(\s*([^)\s]+)\s*\)/g;

/**
 * promptflow's vision prompts place images as Markdown, `![image](URL)`: splits each user message
 * with such images into text and `image_url` parts (the URLs already resolved to data or http URLs).
 */
export function splitImageParts(messages: ChatMessage[]): ChatMessage[] {
  return messages.map((message) => {
    if (message.role !== "user" || typeof message.content !== "string") return message;
    const text = message.content;
    if (!IMAGE.test(text)) return message;
    IMAGE.lastIndex = 0;
    const parts: ChatContentPart[] = [];
    let last = 0;
    for (const match of text.matchAll(IMAGE)) {
      const before = text.slice(last, match.index).trim();
      if (before) parts.push({ type: "text", text: before });
      parts.push({ type: "image_url", image_url: { url: match[1]! } });
      last = match.index + match[0].length;
    }
    const rest = text.slice(last).trim();
    if (rest) parts.push({ type: "text", text: rest });
    return { ...message, content: parts };
  });
}
