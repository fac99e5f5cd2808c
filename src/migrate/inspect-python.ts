/** What `flowops migrate` needs to know about a python file, read without running it. */
export interface PythonFileFacts {
  /** Top-level module names imported (`import a.b` → `a`; `from x.y import z` → `x`). */
  imports: string[];
  /** `promptflow...` modules imported that flowops' compatibility module does not provide. */
  unsupportedPromptflow: string[];
  /** Names of the functions decorated with `@tool`. */
  tools: string[];
  usesConnections: boolean;
  isAsync: boolean;
  isGenerator: boolean;
  definesClasses: boolean;
  /** Module-level assignments (constants, clients) that a one-function translation would drop. */
  hasModuleState: boolean;
}

/** promptflow modules the worker's compatibility module provides (or the real package, if installed). */
const PROVIDED_PROMPTFLOW = new Set([
  "promptflow",
  "promptflow.core",
  "promptflow._core.tool",
  "promptflow.connections",
  "promptflow.tracing",
  "promptflow.entities",
]);

const PROVIDED_NAMES = new Set([
  "tool",
  "log_metric",
  "trace",
  "AzureOpenAIConnection",
  "OpenAIConnection",
  "CustomConnection",
  "CustomStrongTypeConnection",
  "Secret",
  "start_trace",
  "AzureOpenAIModelConfiguration",
  "OpenAIModelConfiguration",
  "ModelConfiguration",
]);

export function inspectPython(source: string): PythonFileFacts {
  const imports = new Set<string>();
  const unsupported = new Set<string>();
  for (const match of source.matchAll(/^\s*import\s+([\w.]+(?:\s*,\s*[\w.]+)*)/gm)) {
    for (const module of match[1]!.split(",")) {
      const name = module.trim();
      imports.add(name.split(".")[0]!);
      if (name.startsWith("promptflow") && !PROVIDED_PROMPTFLOW.has(name)) unsupported.add(name);
    }
  }
  for (const match of source.matchAll(/^[ \t]*from[ \t]+([\w.]+)[ \t]+import[ \t]+(\([^)]*\)|[\w \t,]+)/gm)) {
    const module = match[1]!;
    imports.add(module.split(".")[0]!);
    if (!module.startsWith("promptflow")) continue;
    const names = match[2]!
      .replace(/[()]/g, "")
      .split(",")
      .map((n) =>
        n
          .trim()
          .split(/\s+as\s+/)[0]!
          .trim(),
      )
      .filter(Boolean);
    if (!PROVIDED_PROMPTFLOW.has(module) || names.some((n) => !PROVIDED_NAMES.has(n)))
      unsupported.add(
        `${module} (${names.filter((n) => !PROVIDED_NAMES.has(n)).join(", ") || names.join(", ")})`,
      );
  }
  const tools = [...source.matchAll(/@tool\b[^\n]*\n(?:\s*@[^\n]*\n)*\s*(?:async\s+)?def\s+(\w+)/g)].map(
    (m) => m[1]!,
  );
  return {
    imports: [...imports].sort(),
    unsupportedPromptflow: [...unsupported].sort(),
    tools,
    usesConnections: /\b\w*Connection\b/.test(source.replace(/^\s*(from|import)\b.*$/gm, "")),
    isAsync: /\basync\s+def\b/.test(source),
    isGenerator: /\byield\b/.test(source),
    definesClasses: /^class\s+/m.test(source),
    hasModuleState: /^[A-Za-z_]\w*\s*(:[^=\n]+)?=[^=]/m.test(source),
  };
}

/** Python's standard library top-level modules a flow's code commonly imports. */
export const STANDARD_LIBRARY = new Set(
  (
    "abc argparse array ast asyncio base64 binascii bisect calendar collections concurrent contextlib copy csv " +
    "dataclasses datetime decimal difflib enum fnmatch fractions functools glob gzip hashlib heapq hmac html http " +
    "io itertools json logging math mimetypes numbers operator os pathlib pickle platform pprint queue random re " +
    "secrets shutil signal socket sqlite3 statistics string struct subprocess sys tempfile textwrap threading time " +
    "timeit traceback types typing unicodedata urllib uuid warnings weakref xml zipfile zlib __future__"
  ).split(" "),
);
