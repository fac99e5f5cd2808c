import type { HttpRequest, HttpResponseInit } from "@azure/functions";
import type { DurableClient } from "durable-functions";
import { appErrorResponse } from "../src/app/error-response.js";
import type { HttpFunction, Invocation } from "../src/app/function-table.js";
import type { AppRequest, AppResponse } from "../src/app/http-types.js";
import type { OrchestrationClient, RuntimeStatus } from "../src/app/orchestration-client.js";

/** An Azure Functions HttpRequest as the app's plain request. */
export function toAppRequest(request: HttpRequest): AppRequest {
  return {
    method: request.method,
    url: request.url,
    header: (name) => request.headers.get(name) ?? undefined,
    params: request.params,
    text: () => request.text(),
  };
}

/** durable-functions' DurableClient as the app's OrchestrationClient (a 404 status is "no instance"). */
export function toOrchestrationClient(client: DurableClient | undefined): OrchestrationClient {
  return {
    async getStatus(instanceId) {
      if (!client) throw new Error("This function has no Durable client binding.");
      try {
        const status = await client.getStatus(instanceId);
        if (!status?.runtimeStatus) return undefined;
        return {
          instanceId,
          runtimeStatus: status.runtimeStatus as RuntimeStatus,
          output: status.output,
          createdTime: new Date(status.createdTime).toISOString(),
          lastUpdatedTime: new Date(status.lastUpdatedTime).toISOString(),
        };
      } catch (error) {
        if (/\b404\b/.test((error as Error).message)) return undefined;
        throw error;
      }
    },
    async startNew(orchestration, options) {
      if (!client) throw new Error("This function has no Durable client binding.");
      return client.startNew(orchestration, { instanceId: options.instanceId, input: options.input });
    },
  };
}

/**
 * Runs one HTTP function of the table on an Azure request: the handler's errors become the app's
 * JSON error responses (4xx for the client's mistakes), and server errors are reported.
 */
export async function runHttpFunction(
  fn: HttpFunction,
  request: HttpRequest,
  invocation: () => Promise<Invocation>,
  onServerError: (error: unknown) => void,
): Promise<HttpResponseInit> {
  let response: AppResponse;
  try {
    response = await fn.handler(toAppRequest(request), await invocation());
  } catch (error) {
    response = appErrorResponse(error);
    if (response.status >= 500) onServerError(error);
  }
  return toHttpResponseInit(response);
}

/** The app's response as Azure's: string bodies as they are, event streams as a ReadableStream. */
export function toHttpResponseInit(response: AppResponse): HttpResponseInit {
  const body = response.body;
  return {
    status: response.status,
    ...(response.headers ? { headers: response.headers } : {}),
    ...(body === undefined
      ? {}
      : { body: typeof body === "string" ? body : ReadableStream.from(encode(body)) }),
  };
}

async function* encode(chunks: AsyncIterable<string>): AsyncGenerator<Uint8Array> {
  const encoder = new TextEncoder();
  for await (const chunk of chunks) yield encoder.encode(chunk);
}
