import { describe, expect, it } from "vitest";
import { isSecretKey, redactSecrets, redactValue } from "./redact.js";

describe("redaction", () => {
  it("masks values under secret-named keys at any depth, and keeps token counts", () => {
    const value = {
      connection: { api_key: "abc123", name: "aoai", secrets: { token: "t" } },
      headers: { Authorization: "Bearer x", "x-request-id": "r1" },
      usage: { prompt_tokens: 3, max_tokens: 10 },
      list: [{ password: "p" }],
    };
    expect(redactValue(value)).toEqual({
      connection: { api_key: "***", name: "aoai", secrets: "***" },
      headers: { Authorization: "***", "x-request-id": "r1" },
      usage: { prompt_tokens: 3, max_tokens: 10 },
      list: [{ password: "***" }],
    });
    expect(["access_token", "token", "client_secret", "AccountKey"].every(isSecretKey)).toBe(true);
    expect(["total_tokens", "max_tokens", "tokenizer", "name"].some(isSecretKey)).toBe(false);
  });

  it("masks credentials inside free text", () => {
    const text =
      'failed: Authorization: Bearer abcdefghijklmnop, api_key=sk-live-123456789, {"api-key": "zzzzzz"}, AccountKey=Zm9vYmFy;';
    const redacted = redactSecrets(text);
    for (const secret of ["abcdefghijklmnop", "sk-live-123456789", "zzzzzz", "Zm9vYmFy"]) {
      expect(redacted).not.toContain(secret);
    }
    expect(redacted).toContain("failed: Authorization: Bearer ***");
  });

  it("survives cycles", () => {
    const a: Record<string, unknown> = { name: "a" };
    a.self = a;
    expect(redactValue(a)).toEqual({ name: "a", self: "[…]" });
  });
});
