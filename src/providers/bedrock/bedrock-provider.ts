import {
  BedrockRuntimeClient,
  ConverseCommand,
  ConverseStreamCommand,
  type ConverseStreamOutput,
  InvokeModelCommand,
} from "@aws-sdk/client-bedrock-runtime";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import type { BedrockConnection } from "../../connections/connection-schema.js";
import { secretValues } from "../../connections/mask-connection.js";
import type { ModelCallOptions, ModelResponse } from "../../core/model-port.js";
import { callContext } from "../call-context.js";
import { guardCall, guardStream } from "../guard-call.js";
import { type ModelProvider, UnsupportedOperationError } from "../model-provider.js";
import type { VendorContext } from "../to-provider-error.js";
import { fromConverseOutput, fromConverseStreamEvent, toConverseInput } from "./bedrock-mapping.js";

export interface BedrockProviderOptions {
  timeoutMs?: number;
}

/**
 * Amazon Bedrock: chat and streaming chat through the Converse / ConverseStream APIs (any model that
 * supports them); embeddings through InvokeModel for Titan (`inputText`) and Cohere (`texts`) models.
 */
export function createBedrockProvider(
  connection: BedrockConnection,
  options: BedrockProviderOptions = {},
): ModelProvider {
  const credentials =
    connection.access_key_id && connection.secret_access_key
      ? {
          accessKeyId: connection.access_key_id,
          secretAccessKey: connection.secret_access_key,
          ...(connection.session_token ? { sessionToken: connection.session_token } : {}),
        }
      : undefined;
  const client = new BedrockRuntimeClient({
    region: connection.region,
    maxAttempts: 1,
    ...(connection.base_url ? { endpoint: connection.base_url } : {}),
    ...(credentials ? { credentials } : {}),
    // HTTP/1.1 (the client's default handler is HTTP/2, which Converse does not need).
    requestHandler: new NodeHttpHandler(
      options.timeoutMs ? { requestTimeout: options.timeoutMs, throwOnRequestTimeout: true } : {},
    ),
  });
  const vendor: VendorContext = {
    vendor: "bedrock",
    label: "Amazon Bedrock",
    connection: connection.name,
    authHint:
      "check the access keys (or the AWS credential chain) and that the IAM identity may call bedrock:InvokeModel",
    notFoundHint: `check the model id and that it is enabled in region '${connection.region}'`,
    secrets: secretValues(connection),
  };
  const req = (o?: ModelCallOptions) => (o?.signal ? { abortSignal: o.signal } : {});

  const embedOne = async (model: string, text: string, o?: ModelCallOptions) => {
    const cohere = model.startsWith("cohere.");
    const body = cohere ? { texts: [text], input_type: "search_document" } : { inputText: text };
    const out = await client.send(
      new InvokeModelCommand({
        modelId: model,
        contentType: "application/json",
        accept: "application/json",
        body: JSON.stringify(body),
      }),
      req(o),
    );
    const parsed = JSON.parse(Buffer.from(out.body).toString("utf8")) as {
      embedding?: number[];
      embeddings?: number[][];
      inputTextTokenCount?: number;
    };
    return {
      vector: parsed.embedding ?? parsed.embeddings?.[0] ?? [],
      tokens: parsed.inputTextTokenCount ?? 0,
    };
  };

  return {
    id: `bedrock:${connection.name}`,
    vendor: "bedrock",
    chat: (request, o) =>
      guardCall(vendor, callContext(request, options.timeoutMs, o), async () =>
        fromConverseOutput(
          await client.send(new ConverseCommand(toConverseInput(request)), req(o)),
          request.model,
        ),
      ),
    streamChat: (request, o) =>
      guardStream(
        vendor,
        callContext(request, options.timeoutMs, o),
        async () => {
          const out = await client.send(new ConverseStreamCommand(toConverseInput(request)), req(o));
          return out.stream ?? emptyStream();
        },
        fromConverseStreamEvent,
      ),
    completion: async (request) => {
      throw new UnsupportedOperationError("Amazon Bedrock", "completion", connection.name, request.node);
    },
    embedding: (request, o) =>
      guardCall(vendor, callContext(request, options.timeoutMs, o), async (): Promise<ModelResponse> => {
        const inputs = Array.isArray(request.input) ? request.input : [request.input];
        const results = [];
        for (const text of inputs) results.push(await embedOne(request.model, text, o));
        const tokens = results.reduce((sum, r) => sum + r.tokens, 0);
        return {
          embedding: Array.isArray(request.input) ? results.map((r) => r.vector) : (results[0]?.vector ?? []),
          usage: { prompt_tokens: tokens, completion_tokens: 0, total_tokens: tokens },
          model: request.model,
        };
      }),
  };
}

async function* emptyStream(): AsyncGenerator<ConverseStreamOutput> {}
