/**
 * An image given as text, in promptflow's image form (`{"data:image/png;path": "logo.png"}`), as promptflow
 * reads a text value of an `image` flow input: JSON text of an image object is that object, a data URL is
 * base64, an http(s) URL is a URL, a long run of base64 characters without a dot is base64, anything else
 * a file path (which the python worker reads only inside the flow folder).
 */
export function imageFromText(text: string): Record<string, unknown> {
  if (text.trimStart().startsWith("{")) {
    try {
      const parsed: unknown = JSON.parse(text);
      if (parsed !== null && typeof parsed === "object" && !Array.isArray(parsed))
        return parsed as Record<string, unknown>;
    } catch {
      // not JSON: a path that starts with a brace
    }
  }
  const dataUrl = /^data:(image\/[\w.+-]{1,64});base64,(.*)$/s.exec(text);
  if (dataUrl) return { [`data:${dataUrl[1]};base64`]: dataUrl[2]! };
  const extension = /\.([a-z0-9]{1,5})(?:[?#].*)?$/i.exec(text)?.[1]?.toLowerCase();
  const mime = `image/${extension && /^(png|jpe?g|gif|webp|bmp)$/.test(extension) ? extension : "png"}`;
  if (/^https?:\/\//i.test(text)) return { [`data:${mime};url`]: text };
  if (text.length >= 32 && !text.includes(".") && /^[A-Za-z0-9+/=\s]+$/.test(text))
    return { "data:image/png;base64": text.replace(/\s+/g, "") };
  return { [`data:${mime};path`]: text };
}
