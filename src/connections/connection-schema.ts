import { z } from "zod";
import { UserError } from "../core/errors.js";
import { registerSecrets } from "../secrets/index.js";

/**
 * Connections as promptflow's connection YAML describes them (`azure_open_ai`, `open_ai`, `custom` —
 * with `custom_type`/`module` for custom strong-type connections —, `serverless`, `serp`,
 * `cognitive_search`, `azure_content_safety`), plus flowops' own `anthropic`, `mistral` and `bedrock`. Any string value may be
 * `${env:VAR}`, resolved when the connection is used (resolveConnection), never when it is stored.
 */
const name = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9_.-]*$/,
    "use letters, digits, '_', '-' or '.' (and start with a letter or digit)",
  );

/** Fields promptflow writes into connection files that flowops accepts and ignores. */
const metadata = {
  $schema: z.string().optional(),
  module: z.string().optional(),
  description: z.string().optional(),
  created_date: z.string().optional(),
  last_modified_date: z.string().optional(),
  expiry_time: z.string().optional(),
};

export const azureOpenAIConnectionSchema = z.strictObject({
  ...metadata,
  name,
  type: z.literal("azure_open_ai"),
  /** Absent (or `auth_mode: meid_token`): keyless, via Microsoft Entra ID (DefaultAzureCredential). */
  api_key: z.string().optional(),
  api_base: z.string().min(1),
  api_type: z.string().default("azure"),
  api_version: z.string().default("2024-10-21"),
  auth_mode: z.enum(["key", "meid_token"]).default("key"),
  resource_id: z.string().optional(),
});

export const openAIConnectionSchema = z.strictObject({
  ...metadata,
  name,
  type: z.literal("open_ai"),
  api_key: z.string(),
  organization: z.string().optional(),
  /** OpenAI-compatible servers (Ollama, vLLM, LM Studio): e.g. `http://localhost:11434/v1`. */
  base_url: z.string().optional(),
});

export const customConnectionSchema = z.strictObject({
  ...metadata,
  name,
  type: z.literal("custom"),
  configs: z.record(z.string(), z.string()).default({}),
  secrets: z.record(z.string(), z.string()).default({}),
  /**
   * A custom strong-type connection: the class (`custom_type`) in the python `module` that python
   * tools get instead of a plain CustomConnection, from the tool `package` (and its version).
   */
  custom_type: z.string().min(1).optional(),
  package: z.string().optional(),
  package_version: z.string().optional(),
});

/** promptflow's `serp` connection: the SerpAPI key (the serpapi package tool). */
export const serpConnectionSchema = z.strictObject({
  ...metadata,
  name,
  type: z.literal("serp"),
  api_key: z.string(),
});

/** promptflow's `cognitive_search` connection (Azure AI Search); no api_key: keyless (Entra ID). */
export const cognitiveSearchConnectionSchema = z.strictObject({
  ...metadata,
  name,
  type: z.literal("cognitive_search"),
  api_key: z.string().optional(),
  api_base: z.string().min(1),
  api_version: z.string().default("2023-11-01"),
  auth_mode: z.enum(["key", "meid_token"]).default("key"),
});

/** promptflow's `azure_content_safety` connection. */
export const azureContentSafetyConnectionSchema = z.strictObject({
  ...metadata,
  name,
  type: z.literal("azure_content_safety"),
  api_key: z.string().optional(),
  endpoint: z.string().min(1),
  api_version: z.string().default("2023-10-01"),
  api_type: z.string().default("Content Safety"),
  auth_mode: z.enum(["key", "meid_token"]).default("key"),
});

export const serverlessConnectionSchema = z.strictObject({
  ...metadata,
  name,
  type: z.literal("serverless"),
  api_key: z.string(),
  api_base: z.string().min(1),
});

export const anthropicConnectionSchema = z.strictObject({
  ...metadata,
  name,
  type: z.literal("anthropic"),
  api_key: z.string(),
  base_url: z.string().optional(),
});

export const mistralConnectionSchema = z.strictObject({
  ...metadata,
  name,
  type: z.literal("mistral"),
  api_key: z.string(),
  base_url: z.string().optional(),
});

export const bedrockConnectionSchema = z.strictObject({
  ...metadata,
  name,
  type: z.literal("bedrock"),
  region: z.string().min(1),
  /** Absent: the AWS SDK's default credential chain (environment, profile, instance role). */
  access_key_id: z.string().optional(),
  secret_access_key: z.string().optional(),
  session_token: z.string().optional(),
  /** Endpoint override (VPC endpoints, tests). */
  base_url: z.string().optional(),
});

export const connectionSchema = z.discriminatedUnion("type", [
  azureOpenAIConnectionSchema,
  openAIConnectionSchema,
  customConnectionSchema,
  serverlessConnectionSchema,
  anthropicConnectionSchema,
  mistralConnectionSchema,
  bedrockConnectionSchema,
  serpConnectionSchema,
  cognitiveSearchConnectionSchema,
  azureContentSafetyConnectionSchema,
]);

export type AzureOpenAIConnection = z.infer<typeof azureOpenAIConnectionSchema>;
export type OpenAIConnection = z.infer<typeof openAIConnectionSchema>;
export type CustomConnection = z.infer<typeof customConnectionSchema>;
export type ServerlessConnection = z.infer<typeof serverlessConnectionSchema>;
export type AnthropicConnection = z.infer<typeof anthropicConnectionSchema>;
export type MistralConnection = z.infer<typeof mistralConnectionSchema>;
export type BedrockConnection = z.infer<typeof bedrockConnectionSchema>;
export type SerpConnection = z.infer<typeof serpConnectionSchema>;
export type CognitiveSearchConnection = z.infer<typeof cognitiveSearchConnectionSchema>;
export type AzureContentSafetyConnection = z.infer<typeof azureContentSafetyConnectionSchema>;
export type Connection = z.infer<typeof connectionSchema>;
export type ConnectionType = Connection["type"];
/** What a connection file may omit (fields with defaults). */
export type ConnectionInput = z.input<typeof connectionSchema>;

export const connectionTypes: readonly ConnectionType[] = [
  "azure_open_ai",
  "open_ai",
  "custom",
  "serverless",
  "anthropic",
  "mistral",
  "bedrock",
  "serp",
  "cognitive_search",
  "azure_content_safety",
];

/** A connection file or environment value that does not fit the schema. */
export class InvalidConnectionError extends UserError {}

/**
 * Validates a connection. `source` (a file path or an environment variable name) is named in the error,
 * with every bad field and what would fix it. Secret values are never quoted.
 */
export function parseConnection(raw: unknown, source: string): Connection {
  const type = (raw as { type?: unknown } | null)?.type;
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    throw new InvalidConnectionError(
      "InvalidConnection",
      `${source}: a connection must be a mapping of fields.`,
      {
        location: { file: source },
      },
    );
  }
  if (typeof type !== "string" || !connectionTypes.includes(type as ConnectionType)) {
    throw new InvalidConnectionError(
      "InvalidConnection",
      `${source}: field 'type': ${type === undefined ? "is missing" : `'${String(type)}' is not a known connection type`}; use one of ${connectionTypes.join(", ")}.`,
      { location: { file: source }, field: "type" },
    );
  }
  const result = connectionSchema.safeParse(raw);
  if (result.success) {
    // Every connection store parses here: its secret values are scrubbed from everything written from now on.
    registerSecrets(secretValues(result.data));
    return result.data;
  }
  const problems = result.error.issues.map((issue) => {
    const field = issue.path.join(".");
    const what =
      issue.code === "unrecognized_keys"
        ? `unknown field${issue.keys.length > 1 ? "s" : ""} ${issue.keys.map((k) => `'${k}'`).join(", ")} for type '${type}'`
        : issue.code === "invalid_type" && issue.input === undefined
          ? "is required"
          : issue.message;
    return field ? `field '${field}': ${what}` : what;
  });
  const firstField = result.error.issues[0]?.path.join(".");
  throw new InvalidConnectionError("InvalidConnection", `${source}: ${problems.join("; ")}.`, {
    location: { file: source },
    ...(firstField ? { field: firstField } : {}),
  });
}

/** The fields of a connection that hold secrets (besides everything under a custom connection's `secrets`). */
export const secretFields = ["api_key", "access_key_id", "secret_access_key", "session_token"] as const;

/** The secret values of a connection (resolved or not), for scrubbing text. */
export function secretValues(connection: Connection): string[] {
  const record = connection as Record<string, unknown>;
  const values = secretFields.map((field) => record[field]).filter((v): v is string => typeof v === "string");
  if (connection.type === "custom") values.push(...Object.values(connection.secrets));
  return values.filter((v) => v.length > 0);
}
