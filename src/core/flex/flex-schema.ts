import { z } from "zod";

const portSchema = z.looseObject({
  type: z.string().optional(),
  default: z.unknown().optional(),
  description: z.string().optional(),
  is_chat_input: z.boolean().optional(),
  is_chat_history: z.boolean().optional(),
  is_chat_output: z.boolean().optional(),
});

/** promptflow's `flow.flex.yaml` (the parts flowops reads). */
export const flexFlowSchema = z.looseObject({
  $schema: z.string().optional(),
  language: z.string().optional(),
  entry: z
    .string({ error: "expected 'entry: module:function' (python) or 'entry: file.ts:function' (TypeScript)" })
    .regex(/^[^:]+:[A-Za-z_$][\w$]*$/, {
      error: "expected 'entry: module:function' (python) or 'entry: file.ts:function' (TypeScript)",
    }),
  inputs: z.record(z.string(), portSchema).optional(),
  outputs: z.record(z.string(), portSchema).optional(),
  init: z.record(z.string(), portSchema).optional(),
  sample: z.unknown().optional(),
  environment: z
    .looseObject({ python_requirements_txt: z.string().nullish(), image: z.string().nullish() })
    .optional(),
  additional_includes: z.array(z.string()).optional(),
});

export type FlexFlowYaml = z.infer<typeof flexFlowSchema>;
