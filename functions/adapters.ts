import type { HttpRequest } from "@azure/functions";
import type { DurableClient } from "durable-functions";
import type { AppRequest } from "../src/app/http-types.js";
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
