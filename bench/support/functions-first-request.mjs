// A Functions cold start up to its first answer, for bench/startup.bench.ts: imports the app's entry
// (argv[2]) as the Azure Functions worker does, then hands one POST /api/flows/<flow> (argv[3], JSON
// inputs argv[4]) to the HTTP trigger the app registered, and exits once it has answered 200.
// Plain JavaScript on purpose: a TypeScript loader would add its own ~40 MB to the peak RSS measured.
// The worker provides `@azure/functions-core` (tests/support/functions-worker.ts stands in for all
// of it in the tests); here only registration is needed, so this records the handlers and nothing more.
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";

const [entry, flow, inputs] = process.argv.slice(2);
if (!entry || !flow || !inputs)
  throw new Error("usage: functions-first-request.mjs <entry> <flow> <json inputs>");
const require = createRequire(entry);
const Module = require("node:module");
const handlers = new Map();
const core = {
  setProgrammingModel() {},
  registerFunction(metadata, handler) {
    handlers.set(metadata.name, handler);
    return { dispose() {} };
  },
  registerHook: () => ({ dispose() {} }),
  log() {},
};
const load = Module._load;
Module._load = function (request, ...rest) {
  return request === "@azure/functions-core" ? core : load.call(this, request, ...rest);
};

await import(pathToFileURL(entry).href);
const { HttpRequest, InvocationContext } = require("@azure/functions");
const name = `score-${flow}`;
const handler = handlers.get(name);
if (!handler) throw new Error(`the app registered no function ${name}`);
const request = new HttpRequest({
  method: "POST",
  url: `http://localhost:7071/api/flows/${flow}`,
  headers: { "content-type": "application/json" },
  body: { string: inputs },
});
const response = await handler(request, new InvocationContext({ functionName: name }));
if (response.status !== 200) throw new Error(`${name} answered ${response.status}: ${response.body}`);
process.stdout.write(`${response.body}\n`);
process.exit(0);
