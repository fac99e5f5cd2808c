import { randomUUID } from "node:crypto";
import type { ChatContentPart, ChatMessage } from "../model-port.js";

/**
 * The images of one vision call: each resolved image input is printed into the prompt as a random
 * token (`register`), and only `![alt](TOKEN)` Markdown with a registered token becomes an `image_url`
 * part (`splitImageParts`). Markdown images anywhere else — typed by a caller into a text input, or
 * returned by a node — stay text, so text can never become an image part.
 */
export class ImageTokens {
  private readonly urls = new Map<string, string>();
  private readonly prefix = `img${randomUUID().replace(/-/g, "")}`;

  register(url: string): string {
    const token = `${this.prefix}${this.urls.size}`;
    this.urls.set(token, url);
    return token;
  }

  get size(): number {
    return this.urls.size;
  }

  /** The URL of `![alt](TOKEN)` starting at `i` (and where it ends), when TOKEN is registered. */
  imageAt(text: string, i: number): { url: string; end: number } | undefined {
    if (!text.startsWith("![", i)) return undefined;
    const close = text.indexOf("](", i + 2);
    if (close === -1 || text.slice(i + 2, close).includes("]")) return undefined;
    const start = close + 2;
    if (!text.startsWith(this.prefix, start)) return undefined;
    const end = text.indexOf(")", start);
    if (end === -1) return undefined;
    const url = this.urls.get(text.slice(start, end));
    return url === undefined ? undefined : { url, end: end + 1 };
  }

  /** Splits each user message holding registered images into text and `image_url` parts. Linear. */
  splitImageParts(messages: ChatMessage[]): ChatMessage[] {
    if (this.urls.size === 0) return messages;
    return messages.map((message) => {
      if (message.role !== "user" || typeof message.content !== "string") return message;
      const text = message.content;
      const parts: ChatContentPart[] = [];
      let last = 0;
      for (let at = text.indexOf(this.prefix); at !== -1; at = text.indexOf(this.prefix, at + 1)) {
        // The image's Markdown starts at the nearest "![" before the token.
        const open = text.lastIndexOf("![", at);
        if (open < last) continue;
        const image = this.imageAt(text, open);
        if (!image) continue;
        const before = text.slice(last, open).trim();
        if (before) parts.push({ type: "text", text: before });
        parts.push({ type: "image_url", image_url: { url: image.url } });
        last = image.end;
        at = last - 1;
      }
      if (parts.length === 0) return message;
      const rest = text.slice(last).trim();
      if (rest) parts.push({ type: "text", text: rest });
      return { ...message, content: parts };
    });
  }
}
