/**
 * The typed, validated model of a Prompt Flow `flow.dag.yaml`. Parsing turns YAML into this shape
 * (raw field names kept as promptflow spells them), validation guarantees it is consistent, and the
 * executor trusts it.
 */

export type FlowValueType = "string" | "int" | "double" | "bool" | "list" | "object" | "image";

export interface FlowInputDefinition {
  type: FlowValueType;
  default?: unknown;
  description?: string;
  is_chat_input?: boolean;
  is_chat_history?: boolean;
  /** Allowed values, when promptflow's `enum` is given. */
  enum?: unknown[];
  /** May be left out, and is then null (a flex entry's parameter defaulting to `None`). */
  optional?: boolean;
}

export interface FlowOutputDefinition {
  type?: FlowValueType;
  /** `${node.output}`, `${node.output.a.b}`, `${inputs.x}` */
  reference: string;
  description?: string;
  is_chat_output?: boolean;
}

export type NodeType = "llm" | "prompt" | "typescript" | "python" | "custom_llm" | "prompty";

export interface NodeSource {
  type: "code" | "package" | "package_with_prompt";
  /** For `code`: a path relative to the flow folder. */
  path?: string;
  /** For `package`: the package tool, e.g. `promptflow.tools.embedding.embedding`. */
  tool?: string;
  /**
   * For code: the function (or class) to call instead of the file's `@tool` (python) or default
   * export (typescript). Set by flex flows (`entry: file:function`); not part of flow.dag.yaml.
   */
  function?: string;
}

export interface ActivateConfig {
  /** A reference (`${node.output}` or `${inputs.x}`) or a literal. */
  when: unknown;
  is: unknown;
}

export interface NodeDefinition {
  name: string;
  type: NodeType;
  source: NodeSource;
  /** Literal values or `${...}` references. */
  inputs: Record<string, unknown>;
  connection?: string;
  /**
   * A connection given inline (a prompty's `model.configuration` with `azure_endpoint`/`api_key` and
   * no `connection`), in promptflow's connection shape; `${env:VAR}` values are resolved when called.
   */
  inline_connection?: Record<string, unknown>;
  api?: "chat" | "completion" | "embedding";
  provider?: string;
  module?: string;
  activate?: ActivateConfig;
  aggregation?: boolean;
  use_variants?: boolean;
  /** Where the node starts in the YAML file (1-based), for messages. */
  position?: { line: number; column: number };
}

export interface NodeVariantsDefinition {
  default_variant_id: string;
  /** Each variant is a full node body (without `name`). */
  variants: Record<string, { node: Omit<NodeDefinition, "name"> }>;
}

export interface FlowDefinition {
  /** Absolute path of the flow folder. */
  directory: string;
  /** Absolute path of the YAML file. */
  file: string;
  inputs: Record<string, FlowInputDefinition>;
  outputs: Record<string, FlowOutputDefinition>;
  nodes: NodeDefinition[];
  node_variants: Record<string, NodeVariantsDefinition>;
  environment?: { python_requirements_txt?: string; image?: string };
  additional_includes: string[];
  /** Anything else promptflow allows at the top level (e.g. `$schema`, `description`). */
  extra: Record<string, unknown>;
}

/** A parsed `${...}` reference. */
export type Reference =
  | { kind: "inputs"; name: string; path: string[] }
  | { kind: "node"; node: string; path: string[] }; // path after `.output`
