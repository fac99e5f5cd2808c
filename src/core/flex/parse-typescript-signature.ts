/**
 * The input names of a TypeScript flex entry that takes one destructured object:
 * `export function myFlow({ question, style = "short" }: Inputs)` or
 * `export const myFlow = async ({ question }) => ...`. Undefined when the shape is not recognised (the
 * flow.flex.yaml must then declare its inputs).
 */
export function parseTypescriptInputs(
  source: string,
  name: string,
): { name: string; default?: unknown }[] | undefined {
  const patterns = [
    new RegExp(`function\\s+${name}\\s*(?:<[^>]*>)?\\s*\\(\\s*\\{([^}]*)\\}`),
    new RegExp(`\\b${name}\\s*=\\s*(?:async\\s*)?\\(\\s*\\{([^}]*)\\}`),
    /\b(?:async\s+)?(?:call|__call__)\s*\(\s*\{([^}]*)\}/,
  ];
  for (const pattern of patterns) {
    const match = pattern.exec(source);
    if (!match) continue;
    return match[1]!
      .split(",")
      .map((part) => part.trim())
      .filter(Boolean)
      .map((part) => {
        const [key, value] = part.split("=").map((s) => s.trim());
        const literal = value === undefined ? undefined : tsLiteral(value);
        return { name: key!.split(":")[0]!.trim(), ...(literal !== undefined ? { default: literal } : {}) };
      });
  }
  return undefined;
}

function tsLiteral(text: string): unknown {
  if (/^(['"`]).*\1$/s.test(text)) return text.slice(1, -1);
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
