import { describe, expect, it } from "vitest";
import { bulkRunOrchestrator } from "../src/app/bulk-run-orchestrator.js";
import { ACTIVITIES } from "../src/app/bulk-run-plan.js";
import { historyEvents, orchestrationInput } from "../src/host/durable/durable-internals.js";
import { installFunctionsWorker } from "../tests/support/functions-worker.js";

// The worker's core module must be in place before @azure/functions registers anything.
const worker = installFunctionsWorker();
const { app } = await import("@azure/functions");
const df = await import("durable-functions");
const { durableClientInput, getDurableClient, registerActivity, registerOrchestration } = await import(
  "./durable-registration.js"
);

/** A function's bindings as the host reads them, with the function's own name left out. */
const bindingsOf = (name: string) => worker.registration(name).metadata.bindings;

/** What the Durable extension sends an orchestrator on its first episode. */
function firstEpisode(instanceId: string, input: unknown): string {
  const now = new Date("2026-01-02T03:04:05Z");
  const history = [historyEvents.orchestratorStarted(now), historyEvents.executionStarted("x", input, now)];
  return JSON.stringify(orchestrationInput(instanceId, history, input));
}

/** What the Durable extension sends as the durable client input binding. */
const clientData = {
  taskHubName: "FlowopsHub",
  creationUrls: {},
  managementUrls: {},
  baseUrl: "http://127.0.0.1:1/runtime/webhooks/durabletask",
  requiredQueryStringParameters: "code=secret",
  rpcBaseUrl: "http://127.0.0.1:1/durabletask/",
};

describe("Durable registrations built without loading durable-functions", () => {
  it("register an orchestration with df.app.orchestration's bindings and answer a history as it does", async () => {
    df.app.orchestration("orchestrationByLibrary", bulkRunOrchestrator);
    registerOrchestration("orchestrationByModule", bulkRunOrchestrator);
    expect(bindingsOf("orchestrationByModule")).toEqual(bindingsOf("orchestrationByLibrary"));
    expect(Object.values(bindingsOf("orchestrationByModule"))).toEqual([
      expect.objectContaining({ type: "orchestrationTrigger", direction: "in" }),
    ]);

    const episode = firstEpisode("r1", { run: "r1" });
    const byModule = (await worker.invoke("orchestrationByModule", { orchestrationTrigger: episode })) as {
      actions: { functionName: string; input: unknown }[][];
    };
    expect(byModule).toEqual(
      await worker.invoke("orchestrationByLibrary", { orchestrationTrigger: episode }),
    );
    expect(byModule.actions.flat()).toEqual([
      expect.objectContaining({ functionName: ACTIVITIES.prepare, input: { run: "r1" } }),
    ]);
  });

  it("register an activity with df.app.activity's bindings, results and errors", async () => {
    const handler = async (input: unknown) => {
      const { n } = input as { n: number };
      if (n < 0) throw new Error(`negative: ${n}`);
      return { doubled: n * 2 };
    };
    df.app.activity("activityByLibrary", { handler });
    registerActivity("activityByModule", handler);
    expect(bindingsOf("activityByModule")).toEqual(bindingsOf("activityByLibrary"));
    expect(Object.values(bindingsOf("activityByModule"))).toEqual([
      expect.objectContaining({ type: "activityTrigger", direction: "in" }),
    ]);
    expect(await worker.invoke("activityByModule", { activityTrigger: { n: 21 } })).toEqual({ doubled: 42 });
    expect(await worker.invoke("activityByLibrary", { activityTrigger: { n: 21 } })).toEqual({ doubled: 42 });

    await expect(worker.invoke("activityByModule", { activityTrigger: { n: -1 } })).rejects.toThrow(
      "negative: -1",
    );
    // The library's wrapper, not a copy: a registered exception-properties provider applies to both.
    df.app.setExceptionPropertiesProvider({ getExceptionProperties: () => ({ code: "E42" }) });
    const failure = (name: string) =>
      worker.invoke(name, { activityTrigger: { n: -2 } }).then(
        () => ({}),
        // The details the library serializes into the message; the stack differs by its callers only.
        (error: Error) => ({ ...JSON.parse(error.message), stackTrace: undefined }),
      );
    const byModule = await failure("activityByModule");
    expect(byModule).toMatchObject({ errorMessage: "negative: -2", properties: { code: "E42" } });
    expect(byModule).toEqual(await failure("activityByLibrary"));
  });

  it("give a client function df.input.durableClient()'s binding and df.getClient's client", async () => {
    expect(durableClientInput()).toEqual(df.input.durableClient());
    df.app.client.storageQueue("clientByLibrary", {
      queueName: "q",
      connection: "AzureWebJobsStorage",
      handler: (_message, client) => client.taskHubName,
    });
    app.storageQueue("clientByModule", {
      queueName: "q",
      connection: "AzureWebJobsStorage",
      extraInputs: [durableClientInput()],
      handler: async (_message, context) => (await getDurableClient(context)).taskHubName,
    });
    expect(bindingsOf("clientByModule")).toEqual(bindingsOf("clientByLibrary"));
    const inputs = { queueTrigger: "hello", durableClient: clientData };
    expect(await worker.invoke("clientByModule", inputs)).toBe("FlowopsHub");
    expect(await worker.invoke("clientByLibrary", inputs)).toBe("FlowopsHub");
  });
});
