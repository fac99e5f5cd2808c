// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${...} is promptflow's reference syntax, not a template.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliInEnv, runCli } from "../../../tests/support/run-cli.js";
import { writeAskFlow, writeFolder } from "../../../tests/support/test-flows.js";

const SECRET = "serp-secret-0123456789";

/** promptflow's YAML for the connection types flowops added in round 2. */
const FILES = {
  "serp.yaml": `$schema: https://azuremlschemas.azureedge.net/promptflow/latest/SerpConnection.schema.json
name: serp_connection
type: serp
api_key: "${SECRET}"
`,
  "search.yaml": `$schema: https://azuremlschemas.azureedge.net/promptflow/latest/CognitiveSearchConnection.schema.json
name: cognitive_search_connection
type: cognitive_search
api_key: "search-secret-abcdef"
api_base: "https://my-search.search.windows.net"
api_version: "2023-07-01-Preview"
`,
  "safety.yaml": `$schema: https://azuremlschemas.azureedge.net/promptflow/latest/AzureContentSafetyConnection.schema.json
name: azure_content_safety_connection
type: azure_content_safety
api_key: "safety-secret-abcdef"
endpoint: "https://my-safety.cognitiveservices.azure.com/"
api_version: "2023-10-01"
api_type: Content Safety
`,
  "strong.yaml": `$schema: https://azuremlschemas.azureedge.net/promptflow/latest/CustomStrongTypeConnection.schema.json
name: my_strong_connection
type: custom
custom_type: MyCustomConnection
module: my_connections
package: my-tool-package
package_version: 0.0.5
configs:
  api_base: "https://strong.example.com"
secrets:
  api_key: "strong-secret-abcdef"
`,
};

/** A python flow whose tools take the new connection types as promptflow tools do. */
const PY_FLOW = {
  "flow.dag.yaml": `
inputs: {}
outputs:
  serp:
    type: string
    reference: \${use_serp.output}
  strong:
    type: string
    reference: \${use_strong.output}
nodes:
  - name: use_serp
    type: python
    source:
      type: code
      path: use_serp.py
    inputs:
      conn: serp_connection
  - name: use_strong
    type: python
    source:
      type: code
      path: use_strong.py
    inputs:
      conn: my_strong_connection
`,
  "use_serp.py": `from promptflow.connections import SerpConnection
from promptflow.core import tool

@tool
def use_serp(conn: SerpConnection) -> str:
    return f"{type(conn).__name__}:{len(conn.api_key)}"
`,
  "my_connections.py": `from promptflow.connections import CustomStrongTypeConnection

class MyCustomConnection(CustomStrongTypeConnection):
    api_key: str
    api_base: str = "default"
`,
  "use_strong.py": `from promptflow.connections import CustomConnection
from promptflow.core import tool

@tool
def use_strong(conn: CustomConnection) -> str:
    return f"{type(conn).__name__}:{conn.api_base}:{len(conn.secrets['api_key'])}"
`,
};

describe("flowops connection: serp, cognitive_search, azure_content_safety, custom strong types, update", () => {
  let root: string;
  let env: NodeJS.ProcessEnv;
  const { cli, json } = cliInEnv(() => env);

  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), "flowops-cli-conn-types-"));
    env = { FLOWOPS_HOME: path.join(root, "home") };
    await writeFolder(root, FILES);
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it("creates each type from promptflow's YAML and masks its secret in create, show and list", async () => {
    const expected = {
      "serp.yaml": { type: "serp", api_key: "******" },
      "search.yaml": {
        type: "cognitive_search",
        api_key: "******",
        api_base: "https://my-search.search.windows.net",
        api_version: "2023-07-01-Preview",
      },
      "safety.yaml": {
        type: "azure_content_safety",
        api_key: "******",
        endpoint: "https://my-safety.cognitiveservices.azure.com/",
        api_type: "Content Safety",
      },
      "strong.yaml": {
        type: "custom",
        custom_type: "MyCustomConnection",
        module: "my_connections",
        package: "my-tool-package",
        configs: { api_base: "https://strong.example.com" },
        secrets: { api_key: "******" },
      },
    };
    for (const [file, shape] of Object.entries(expected)) {
      const created = await cli("connection", "create", "--file", path.join(root, file));
      expect(created.code, created.stderr).toBe(0);
      expect(JSON.parse(created.stdout)).toMatchObject(shape);
    }
    const listed = await cli("connection", "list");
    expect(listed.code).toBe(0);
    expect(JSON.parse(listed.stdout)).toHaveLength(4);
    expect(listed.stdout).not.toMatch(/secret-/);
    expect(await json("connection", "show", "--name", "serp_connection")).toMatchObject({
      api_key: "******",
    });
  });

  it("updates a stored connection with --set, validating the result and keeping secrets masked", async () => {
    const updated = await json(
      "connection",
      "update",
      "--name",
      "cognitive_search_connection",
      "--set",
      "api_base=https://other.search.windows.net",
      "api_key=new-search-secret-0000",
    );
    expect(updated).toMatchObject({ api_base: "https://other.search.windows.net", api_key: "******" });
    expect(await json("connection", "show", "--name", "cognitive_search_connection")).toMatchObject({
      api_base: "https://other.search.windows.net",
      api_version: "2023-07-01-Preview",
    });
    const custom = await json(
      "connection",
      "update",
      "--name",
      "my_strong_connection",
      "--set",
      "configs.region=westeurope",
    );
    expect(custom.configs).toEqual({ api_base: "https://strong.example.com", region: "westeurope" });
    expect(custom.secrets).toEqual({ api_key: "******" });

    const unknownField = await cli(
      "connection",
      "update",
      "--name",
      "serp_connection",
      "--set",
      "endpoint=x",
    );
    expect(unknownField.code).toBe(2);
    expect(unknownField.stderr).toContain("unknown field 'endpoint' for type 'serp'");
    const retype = await cli("connection", "update", "--name", "serp_connection", "--set", "type=open_ai");
    expect(retype.code).toBe(2);
    expect(retype.stderr).toContain("field 'type' cannot be changed");
    const missing = await cli("connection", "update", "--name", "nope", "--set", "api_key=x");
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("Connection 'nope' does not exist");
    const fromEnv = await runCli(["connection", "update", "--name", "from_env", "--set", "api_key=x"], {
      env: { ...env, FLOWOPS_CONNECTION_FROM_ENV: JSON.stringify({ type: "serp", api_key: "k" }) },
    });
    expect(fromEnv.code).toBe(2);
    expect(fromEnv.stderr).toContain("FLOWOPS_CONNECTION_FROM_ENV");
    expect((await cli("connection", "update", "--name", "serp_connection", "--set", "nonsense")).code).toBe(
      2,
    );
  });

  it("gives python tools promptflow's typed connection objects, a strong type built from custom_type and module", async () => {
    const flow = await writeFolder(path.join(root, "py-flow"), PY_FLOW);
    const outputs = await json("flow", "test", "--flow", flow);
    expect(outputs).toEqual({
      serp: `SerpConnection:${SECRET.length}`,
      strong: `MyCustomConnection:https://strong.example.com:${"strong-secret-abcdef".length}`,
    });
  });

  it("names the package to install when a strong type's module is missing", async () => {
    await cli(
      "connection",
      "update",
      "--name",
      "my_strong_connection",
      "--set",
      "module=not_installed_pkg.connections",
    );
    const failed = await cli("flow", "test", "--flow", path.join(root, "py-flow"));
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain("install the package 'my-tool-package'");
  });

  it("refuses a serp connection on an llm node (it cannot reach a model)", async () => {
    const flow = writeAskFlow(path.join(root, "llm-serp"), {
      connection: "serp_connection",
      system: "Answer.",
    });
    const result = await cli("flow", "validate", "--source", flow);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("has type 'serp', which cannot reach a model");
  });
});
