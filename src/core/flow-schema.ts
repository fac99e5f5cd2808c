// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${...} is promptflow's reference syntax, not a template.
import { z } from "zod";

/**
 * The shape of a raw `flow.dag.yaml`, as promptflow documents it
 * (https://microsoft.github.io/promptflow/reference/flow-yaml-schema-reference.html). The schema checks
 * shapes only (a mapping where a mapping belongs, a string where a string belongs); it deliberately
 * accepts any string for node types, input types, `api` and friends so that `validateFlow` can report
 * every semantic problem at once, with a "did you mean" hint. Unknown keys are kept: promptflow
 * tolerates extra keys such as `name`, `description`, `tags`, `comment` or `enable_cache`.
 */

/** YAML writes an empty mapping or list as `key:` (null); treat that like an absent key. */
const orEmpty = <T extends z.ZodType>(schema: T) => schema.nullish();

const mappingOf = <T extends z.ZodType>(value: T, what: string) =>
  z.record(z.string(), value, { error: `expected a mapping of ${what}` });

export const rawFlowInputSchema = z.looseObject(
  {
    type: z.string({ error: "expected a type name (string, int, double, bool, list, object, image)" }),
    default: z.unknown().optional(),
    description: z.string().nullish(),
    is_chat_input: z.boolean().nullish(),
    is_chat_history: z.boolean().nullish(),
    enum: z.array(z.unknown()).nullish(),
  },
  { error: "expected a mapping with at least 'type'" },
);

export const rawFlowOutputSchema = z.looseObject(
  {
    type: z.string().nullish(),
    reference: z.unknown().optional(),
    description: z.string().nullish(),
    is_chat_output: z.boolean().nullish(),
  },
  { error: "expected a mapping with 'type' and 'reference'" },
);

export const rawNodeSourceSchema = z.looseObject(
  {
    type: z.string().nullish(),
    path: z.string().nullish(),
    tool: z.string().nullish(),
  },
  { error: "expected a mapping like {type: code, path: FILE}" },
);

export const rawActivateSchema = z.looseObject(
  {
    when: z.unknown().optional(),
    is: z.unknown().optional(),
  },
  { error: "expected a mapping {when: ${node.output}, is: VALUE}" },
);

/** A node body: everything a node or a variant may say (a variant has no `name`). */
const nodeBodyShape = {
  type: z.string({ error: "expected a node type (llm, prompt, python, typescript)" }).nullish(),
  source: orEmpty(rawNodeSourceSchema),
  /** Legacy promptflow spelling of `source: {type: code, path}`. */
  path: z.string().nullish(),
  inputs: orEmpty(mappingOf(z.unknown(), "node input names to literal values or ${...} references")),
  connection: z.string().nullish(),
  api: z.string().nullish(),
  provider: z.string().nullish(),
  module: z.string().nullish(),
  activate: orEmpty(rawActivateSchema),
  aggregation: z.boolean().nullish(),
  /** Legacy promptflow spelling of `aggregation`. */
  reduce: z.boolean().nullish(),
  use_variants: z.boolean().nullish(),
  skip: z
    .unknown()
    .refine((value) => value === undefined, {
      error:
        "the 'skip' config was removed from promptflow and is not supported (a node cannot have both 'skip' and 'activate'): express the condition with 'activate: {when: ${...}, is: VALUE}' instead",
    })
    .optional(),
};

export const rawNodeSchema = z.looseObject(
  { name: z.string({ error: "expected the node name as a string" }).nullish(), ...nodeBodyShape },
  { error: "expected a node mapping with name, type, source and inputs" },
);

export const rawVariantNodeSchema = z.looseObject(nodeBodyShape, {
  error: "expected a node mapping with type, source and inputs",
});

export const rawNodeVariantsSchema = z.looseObject(
  {
    default_variant_id: z.string({ error: "expected the id of the default variant" }).nullish(),
    variants: orEmpty(
      mappingOf(
        z.looseObject({ node: rawVariantNodeSchema }, { error: "expected a mapping {node: {...}}" }),
        "variant ids to {node: {...}}",
      ),
    ),
  },
  { error: "expected a mapping {default_variant_id, variants}" },
);

export const rawFlowSchema = z.looseObject(
  {
    inputs: orEmpty(mappingOf(rawFlowInputSchema, "input names to input definitions")),
    outputs: orEmpty(mappingOf(rawFlowOutputSchema, "output names to output definitions")),
    nodes: orEmpty(z.array(rawNodeSchema, { error: "expected a list of nodes" })),
    node_variants: orEmpty(mappingOf(rawNodeVariantsSchema, "node names to variant definitions")),
    environment: orEmpty(
      z.looseObject(
        { python_requirements_txt: z.string().nullish(), image: z.string().nullish() },
        { error: "expected a mapping {python_requirements_txt, image}" },
      ),
    ),
    additional_includes: orEmpty(
      z.array(z.string({ error: "expected a file or folder path" }), {
        error: "expected a list of file or folder paths",
      }),
    ),
  },
  { error: "expected the flow to be a YAML mapping with inputs, outputs and nodes" },
);

export type RawFlow = z.infer<typeof rawFlowSchema>;
export type RawNode = z.infer<typeof rawNodeSchema>;
export type RawVariantNode = z.infer<typeof rawVariantNodeSchema>;
