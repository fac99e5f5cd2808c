import type { HttpRequest, HttpResponseInit } from "@azure/functions";
import type { DurableClient } from "durable-functions";
import type { Hono } from "hono";
import type { OrchestrationClient, RuntimeStatus } from "../src/app/orchestration-client.js";
import type { FunctionBindings, FunctionEnv } from "../src/http/function-routes.js";

/**
 * An Azure Functions HttpRequest as a web Request: the same URL, method and headers, the body as a
 * stream, and `signal` (the caller's, when the runtime gives one) to stop the run when it aborts.
 */
export function toWebRequest(request: HttpRequest, signal?: AbortSignal): Request {
  const hasBody = request.method !== "GET" && request.method !== "HEAD" && request.body !== null;
  return new Request(request.url, {
    method: request.method,
    headers: request.headers as unknown as Headers,
    ...(hasBody ? { body: request.body as ReadableStream<Uint8Array>, duplex: "half" } : {}),
    ...(signal ? { signal } : {}),
  } as RequestInit);
}

/**
 * One HTTP trigger: hands the request to the one HTTP app (src/http) with this invocation's bindings
 * (Durable client, base URL) and returns its answer in Azure's shape.
 */
export async function handleHttpTrigger(
  app: Hono<FunctionEnv>,
  request: HttpRequest,
  bindings: FunctionBindings,
  signal?: AbortSignal,
): Promise<HttpResponseInit> {
  return toHttpResponseInit(await app.fetch(toWebRequest(request, signal), bindings));
}

/** A web Response as Azure's: streamed bodies (server-sent events) as a stream, others as text. */
export async function toHttpResponseInit(response: Response): Promise<HttpResponseInit> {
  const headers = Object.fromEntries(response.headers);
  const streamed = /^text\/event-stream/i.test(response.headers.get("content-type") ?? "");
  return {
    status: response.status,
    headers,
    ...(response.body === null ? {} : { body: streamed ? response.body : await response.text() }),
  } as HttpResponseInit;
}

/** The base URL answers point callers to: FLOWOPS_BASE_URL, else the app's own host name in Azure. */
export function functionsBaseUrl(settings: NodeJS.ProcessEnv): string {
  const configured = settings["FLOWOPS_BASE_URL"]?.trim();
  if (configured) return configured.replace(/\/+$/, "");
  return settings["WEBSITE_HOSTNAME"] ? `https://${settings["WEBSITE_HOSTNAME"]}` : "";
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
