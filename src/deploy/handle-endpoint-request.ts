import { randomUUID } from "node:crypto";
import { FlowopsError } from "../core/errors.js";
import type { TokenUsage } from "../core/model-port.js";
import type { DeploymentStore, RequestLogStore, TrafficEntry } from "../stores/deployment-store.js";
import { chooseVersion } from "./choose-version.js";
import type { FlowVersionCache } from "./flow-version-cache.js";
import { hashUserKey, isSampled, type RequestLoggingOptions, scrubFields } from "./request-logging.js";

export const VERSION_HEADER = "x-flowops-flow-version";
export const USER_HEADER = "x-flowops-user";
export const REQUEST_ID_HEADER = "x-flowops-request-id";

export interface EndpointDependencies {
  deployments: DeploymentStore;
  flows: FlowVersionCache;
  requests: RequestLogStore;
  /** Weighted choice and sampling draws; inject a seeded one in tests. Default Math.random. */
  random?: () => number;
  logging?: RequestLoggingOptions;
  /** The endpoint name; default: the last path segment of the URL (`/api/endpoints/{endpoint}`). */
  endpoint?: string;
  /** Called when writing the request log fails (the response is still sent). */
  onLogError?: (error: unknown) => void;
}

const NO_USAGE: TokenUsage = { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 };

/**
 * `POST /api/endpoints/{endpoint}`: reads the endpoint's current split (each request: a deploy,
 * promote or rollback applies at once), picks a version (sticky on `x-flowops-user`, else weighted
 * at random), runs it with the JSON body as inputs, answers with the outputs and
 * `x-flowops-flow-version: name:version`, and logs the request (sampled, scrubbed) to the production
 * request log. Web-standard Request/Response: the Functions app and the local host only adapt.
 */
export async function handleEndpointRequest(request: Request, deps: EndpointDependencies): Promise<Response> {
  const started = performance.now();
  const timestamp = new Date().toISOString();
  const id = randomUUID();
  const endpoint =
    deps.endpoint ??
    decodeURIComponent(new URL(request.url).pathname.split("/").filter(Boolean).at(-1) ?? "");
  if (request.method !== "POST") {
    return json(
      405,
      { error: { code: "MethodNotAllowed", message: "Send the flow inputs with POST." } },
      { allow: "POST" },
    );
  }
  let inputs: Record<string, unknown>;
  try {
    const body: unknown = await request.json();
    if (body === null || typeof body !== "object" || Array.isArray(body)) throw new Error("not an object");
    inputs = body as Record<string, unknown>;
  } catch {
    return json(400, {
      error: {
        code: "BadRequestBody",
        message: "The request body must be a JSON object of the flow's inputs.",
      },
    });
  }
  const deployment = await deps.deployments.current(endpoint);
  if (!deployment) {
    return json(404, {
      error: { code: "EndpointNotFound", message: `Nothing is deployed to endpoint '${endpoint}'.` },
    });
  }
  const random = deps.random ?? Math.random;
  const userKey = request.headers.get(USER_HEADER) || undefined;
  const chosen = chooseVersion(deployment.traffic, { endpoint, userKey, random });
  const headers = { [VERSION_HEADER]: `${chosen.flow}:${chosen.version}`, [REQUEST_ID_HEADER]: id };

  let outputs: Record<string, unknown> | undefined;
  let usage = NO_USAGE;
  let failure: { status: number; code: string; message: string } | undefined;
  try {
    const flow = await deps.flows.get(chosen.flow, chosen.version);
    const result = await flow.run(inputs, request.signal ? { signal: request.signal } : {});
    outputs = await settleOutputs(result.outputs);
    usage = result.usage;
  } catch (error) {
    failure = describeFailure(error);
  }
  const latency = Math.round((performance.now() - started) * 1000) / 1000;
  await logRequest(deps, random, {
    endpoint,
    id,
    timestamp,
    chosen,
    inputs,
    outputs,
    failure,
    latency,
    usage,
    userKey,
  });
  if (failure)
    return json(failure.status, { error: { code: failure.code, message: failure.message } }, headers);
  return json(200, outputs, headers);
}

async function logRequest(
  deps: EndpointDependencies,
  random: () => number,
  served: {
    endpoint: string;
    id: string;
    timestamp: string;
    chosen: TrafficEntry;
    inputs: Record<string, unknown>;
    outputs: Record<string, unknown> | undefined;
    failure: { code: string; message: string } | undefined;
    latency: number;
    usage: TokenUsage;
    userKey: string | undefined;
  },
): Promise<void> {
  const options = deps.logging ?? {};
  if (!isSampled(options, random)) return;
  try {
    await deps.requests.append({
      endpoint: served.endpoint,
      id: served.id,
      timestamp: served.timestamp,
      flow: served.chosen.flow,
      version: served.chosen.version,
      status: served.failure ? "Failed" : "Completed",
      inputs: scrubFields(served.inputs, "inputs", options),
      ...(served.outputs ? { outputs: scrubFields(served.outputs, "outputs", options) } : {}),
      ...(served.failure ? { error: { code: served.failure.code, message: served.failure.message } } : {}),
      latency_ms: served.latency,
      usage: served.usage,
      ...(served.userKey ? { user: hashUserKey(served.userKey) } : {}),
    });
  } catch (error) {
    (deps.onLogError ?? ((e: unknown) => console.error("flowops: could not log the request:", e)))(error);
  }
}

/** Streaming outputs are collected: an endpoint answers with one JSON document. */
async function settleOutputs(outputs: Record<string, unknown>): Promise<Record<string, unknown>> {
  const settled: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(outputs)) {
    if (value !== null && typeof value === "object" && Symbol.asyncIterator in value) {
      let text = "";
      for await (const chunk of value as AsyncIterable<unknown>) text += String(chunk);
      settled[name] = text;
    } else {
      settled[name] = value;
    }
  }
  return settled;
}

function describeFailure(error: unknown): { status: number; code: string; message: string } {
  if (error instanceof FlowopsError) {
    const status = error.isUserError && error.code.startsWith("Input") ? 400 : 500;
    return { status, code: error.code, message: error.message };
  }
  return { status: 500, code: "InternalError", message: "The flow failed; see the server log." };
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json; charset=utf-8", ...headers },
  });
}
