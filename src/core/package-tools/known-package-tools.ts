/** The promptflow package tools flowops implements natively, by what they do. */
export type PackageToolKind = "embedding" | "vision-chat" | "serpapi" | "llm" | "prompt";

const TOOLS: Record<string, PackageToolKind> = {
  "promptflow.tools.embedding.embedding": "embedding",
  "promptflow.tools.aoai_gpt4v.AzureOpenAI.chat": "vision-chat",
  "promptflow.tools.openai_gpt4v.OpenAI.chat": "vision-chat",
  "promptflow.tools.serpapi.SerpAPI.search": "serpapi",
  "promptflow.tools.aoai.AzureOpenAI.chat": "llm",
  "promptflow.tools.aoai.AzureOpenAI.completion": "llm",
  "promptflow.tools.openai.OpenAI.chat": "llm",
  "promptflow.tools.openai.OpenAI.completion": "llm",
  "promptflow.tools.llm.llm": "llm",
  "promptflow.tools.template_rendering.render_template_jinja2": "prompt",
};

/** What a package tool does, or undefined when flowops does not provide it. */
export function packageToolKind(tool: string | undefined): PackageToolKind | undefined {
  return tool ? TOOLS[tool.trim()] : undefined;
}

/** Every package tool flowops runs, for messages and `flowops migrate check`. */
export const KNOWN_PACKAGE_TOOLS: readonly string[] = Object.keys(TOOLS);

/** `promptflow.tools.serpapi.SerpAPI.search` → `promptflow.tools.serpapi` (the module before the class). */
export function packageOfTool(tool: string): string {
  const parts = tool.split(".");
  const classAt = parts.findIndex((part, i) => i > 0 && /^[A-Z]/.test(part));
  return parts.slice(0, classAt > 0 ? classAt : Math.max(1, parts.length - 1)).join(".");
}

/** The pip distribution that provides a tool module (`promptflow.tools.*` → `promptflow-tools`). */
export function distributionOfTool(tool: string): string {
  const root = packageOfTool(tool);
  if (root.startsWith("promptflow.tools")) return "promptflow-tools";
  if (root.startsWith("promptflow_vectordb") || root.startsWith("promptflow.vectordb"))
    return "promptflow-vectordb";
  return root.split(".")[0]!.replace(/_/g, "-");
}
