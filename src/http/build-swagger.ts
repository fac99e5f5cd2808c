import path from "node:path";
import type { FlowDefinition, FlowValueType } from "../core/flow-definition.js";

type JsonSchema = Record<string, unknown>;

const SCHEMA_OF_TYPE: Record<FlowValueType, JsonSchema> = {
  string: { type: "string" },
  int: { type: "integer" },
  double: { type: "number" },
  bool: { type: "boolean" },
  list: { type: "array", items: {} },
  object: { type: "object", additionalProperties: true },
  image: { type: "string", description: "an image as a data URL or a URL" },
};

const ERROR_SCHEMA: JsonSchema = {
  type: "object",
  required: ["error"],
  properties: {
    error: {
      type: "object",
      required: ["code", "message"],
      properties: {
        code: { type: "string" },
        message: { type: "string" },
        field: { type: "string", description: "the input at fault" },
        node: { type: "string", description: "the node that failed" },
      },
    },
  },
};

/** Names the flow after its folder, as promptflow's serving does. */
export function flowName(definition: FlowDefinition): string {
  return path.basename(definition.directory);
}

/** An OpenAPI 3 document for a served flow, generated from its declared inputs and outputs. */
export function buildSwagger(definition: FlowDefinition, version: string): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  const required: string[] = [];
  for (const [name, input] of Object.entries(definition.inputs)) {
    properties[name] = {
      ...SCHEMA_OF_TYPE[input.type],
      ...(input.description ? { description: input.description } : {}),
      ...(input.default !== undefined ? { default: input.default } : {}),
      ...(input.enum ? { enum: input.enum } : {}),
    };
    if (input.default === undefined) required.push(name);
  }
  const outputs: Record<string, JsonSchema> = {};
  for (const [name, output] of Object.entries(definition.outputs)) {
    outputs[name] = {
      ...(output.type ? SCHEMA_OF_TYPE[output.type] : {}),
      ...(output.description ? { description: output.description } : {}),
    };
  }
  const error = (description: string) => ({
    description,
    content: { "application/json": { schema: ERROR_SCHEMA } },
  });
  return {
    openapi: "3.0.0",
    info: { title: `Promptflow[${flowName(definition)}] API`, version },
    paths: {
      "/score": {
        post: {
          summary: "run the flow on one set of inputs",
          requestBody: {
            required: true,
            content: {
              "application/json": {
                schema: { type: "object", properties, ...(required.length > 0 ? { required } : {}) },
              },
            },
          },
          responses: {
            "200": {
              description: "the flow's outputs (as server-sent deltas with Accept: text/event-stream)",
              content: {
                "application/json": { schema: { type: "object", properties: outputs } },
                "text/event-stream": { schema: { type: "string" } },
              },
            },
            "400": error("the inputs are not valid JSON, or an input is missing or of the wrong type"),
            "500": error("a node or a model call failed"),
          },
        },
      },
      "/health": {
        get: {
          summary: "liveness",
          responses: { "200": { description: "the server is up", content: { "application/json": {} } } },
        },
      },
    },
  };
}
