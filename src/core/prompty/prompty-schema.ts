import { z } from "zod";

/** promptflow's prompty front matter (the parts flowops reads; anything else is kept, not checked). */
const inputSchema = z.union([
  z.string(),
  z.looseObject({
    type: z.string().optional(),
    default: z.unknown().optional(),
    description: z.string().optional(),
    is_chat_input: z.boolean().optional(),
    is_chat_history: z.boolean().optional(),
  }),
]);

export const promptySchema = z.looseObject({
  name: z.string().optional(),
  description: z.string().optional(),
  model: z
    .looseObject({
      api: z.enum(["chat", "completion"], { error: "expected 'chat' or 'completion'" }).optional(),
      configuration: z
        .looseObject({
          type: z.string().optional(),
          azure_deployment: z.string().optional(),
          model: z.string().optional(),
          connection: z.string().optional(),
        })
        .optional(),
      parameters: z.record(z.string(), z.unknown()).optional(),
      response: z.enum(["first", "all"], { error: "expected 'first' or 'all'" }).optional(),
    })
    .optional(),
  inputs: z.record(z.string(), inputSchema).optional(),
  outputs: z.record(z.string(), z.unknown()).optional(),
  sample: z.union([z.record(z.string(), z.unknown()), z.string()]).optional(),
});

export type PromptyFrontMatter = z.infer<typeof promptySchema>;
