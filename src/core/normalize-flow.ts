import type {
  FlowDefinition,
  FlowInputDefinition,
  FlowOutputDefinition,
  NodeDefinition,
  NodeSource,
  NodeVariantsDefinition,
} from "./flow-definition.js";
import type { RawFlow, RawVariantNode } from "./flow-schema.js";
import type { Locate, YamlPath } from "./flow-source-map.js";

const KNOWN_TOP_LEVEL = new Set([
  "inputs",
  "outputs",
  "nodes",
  "node_variants",
  "environment",
  "additional_includes",
]);

/**
 * Turns a schema-checked raw flow into a FlowDefinition: absolute paths, defaults for absent sections,
 * `source` filled in from promptflow's legacy top-level `path:`, `reduce:` read as `aggregation:`, and
 * each node's position. Values promptflow leaves open (node type, input type, api...) are carried over
 * as written; `validateFlow` checks them.
 */
export function normalizeFlow(
  raw: RawFlow,
  where: { file: string; directory: string; locate: Locate },
): FlowDefinition {
  const extra = Object.fromEntries(Object.entries(raw).filter(([key]) => !KNOWN_TOP_LEVEL.has(key)));
  return {
    directory: where.directory,
    file: where.file,
    inputs: mapValues(raw.inputs ?? {}, normalizeInput),
    outputs: mapValues(raw.outputs ?? {}, normalizeOutput),
    nodes: (raw.nodes ?? []).map((node, index) => ({
      name: node.name ?? "",
      ...normalizeNodeBody(node, where.locate, ["nodes", index]),
    })),
    node_variants: mapValues(raw.node_variants ?? {}, (variants, nodeName) => ({
      default_variant_id: variants.default_variant_id ?? "",
      variants: mapValues(variants.variants ?? {}, (variant, variantId) => ({
        node: normalizeNodeBody(variant.node, where.locate, [
          "node_variants",
          nodeName,
          "variants",
          variantId,
          "node",
        ]),
      })),
    })) satisfies Record<string, NodeVariantsDefinition>,
    ...(raw.environment ? { environment: withoutNullish(raw.environment) } : {}),
    additional_includes: raw.additional_includes ?? [],
    extra,
  };
}

function normalizeInput(raw: NonNullable<RawFlow["inputs"]>[string]): FlowInputDefinition {
  return withoutNullish({
    ...raw,
    type: raw.type as FlowInputDefinition["type"],
  }) as FlowInputDefinition;
}

function normalizeOutput(raw: NonNullable<RawFlow["outputs"]>[string]): FlowOutputDefinition {
  const { reference, ...rest } = withoutNullish(raw);
  return {
    ...rest,
    type: rest.type as FlowOutputDefinition["type"],
    reference:
      typeof reference === "string"
        ? (normalizeReferences(reference) as string)
        : reference === undefined
          ? ""
          : String(reference),
  } as FlowOutputDefinition;
}

function normalizeNodeBody(raw: RawVariantNode, locate: Locate, at: YamlPath): Omit<NodeDefinition, "name"> {
  const source: NodeSource = raw.source
    ? ({ ...withoutNullish(raw.source), type: raw.source.type ?? "code" } as NodeSource)
    : raw.path
      ? { type: "code", path: raw.path }
      : { type: "code" };
  const position = locate(at);
  return {
    type: (raw.type ?? "") as NodeDefinition["type"],
    source,
    inputs: normalizeReferences(raw.inputs ?? {}) as Record<string, unknown>,
    ...(raw.connection ? { connection: raw.connection } : {}),
    ...(raw.api ? { api: raw.api as NodeDefinition["api"] } : {}),
    ...(raw.provider ? { provider: raw.provider } : {}),
    ...(raw.module ? { module: raw.module } : {}),
    ...(raw.activate
      ? { activate: { when: normalizeReferences(raw.activate.when), is: raw.activate.is } }
      : {}),
    ...(raw.aggregation || raw.reduce ? { aggregation: true } : {}),
    ...(raw.use_variants ? { use_variants: true } : {}),
    ...(position ? { position } : {}),
  };
}

/**
 * Rewrites promptflow's shorthand reference spellings to the canonical ones the engine parses:
 * `${node}` means `${node.output}`, and `${flow.x}` (the legacy prefix) means `${inputs.x}`.
 */
export function normalizeReferences(value: unknown): unknown {
  if (typeof value === "string") {
    const bare = /^\$\{\s*([^.\s{}]+)\s*\}$/.exec(value);
    if (bare && bare[1] !== "inputs") return `\${${bare[1]}.output}`;
    const legacyInput = /^\$\{\s*flow\.([^}]+)\}$/.exec(value);
    if (legacyInput) return `\${inputs.${legacyInput[1]!.trim()}}`;
    return value;
  }
  if (Array.isArray(value)) return value.map(normalizeReferences);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, normalizeReferences(item)]));
  }
  return value;
}

function mapValues<T, U>(record: Record<string, T>, f: (value: T, key: string) => U): Record<string, U> {
  return Object.fromEntries(Object.entries(record).map(([key, value]) => [key, f(value, key)]));
}

function withoutNullish<T extends object>(value: T): { [K in keyof T]: Exclude<T[K], null> } {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null && v !== undefined)) as {
    [K in keyof T]: Exclude<T[K], null>;
  };
}
