// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the strings are Bicep and azd interpolations, not JavaScript ones
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseBicepFile } from "./bicep-document.js";
import {
  checkModuleReferences,
  checkSecurity,
  checkSyntax,
  formatProblems,
  loadBicepTree,
} from "./infra-checks.js";
import { checkRoleAssignments } from "./role-assignment-checks.js";

/** Copies infra/ to a temp dir, applies one edit, and returns every problem the checks find there. */
const infra = resolve(import.meta.dirname, "../../infra");
const temporary: string[] = [];
afterAll(() => {
  for (const dir of temporary) rmSync(dir, { recursive: true, force: true });
});

function problemsAfter(file: string, edit: (text: string) => string): string {
  const copy = mkdtempSync(join(tmpdir(), "flowops-infra-"));
  temporary.push(copy);
  cpSync(infra, copy, { recursive: true });
  const target = join(copy, file);
  const before = readFileSync(target, "utf8");
  const after = edit(before);
  expect(after, "the edit must change the file").not.toBe(before);
  writeFileSync(target, after);
  const mainFile = join(copy, "main.bicep");
  const tree = loadBicepTree(mainFile);
  const documents = [...tree.values()];
  return formatProblems([
    ...documents.flatMap(checkSyntax),
    ...documents.flatMap((doc) => checkModuleReferences(doc, tree)),
    ...documents.flatMap(checkSecurity),
    ...checkRoleAssignments(tree.get(mainFile)!, tree),
  ]);
}

describe("the infra checks catch violations in a modified copy", () => {
  it("shared-key access enabled on storage", () => {
    const found = problemsAfter("app/storage.bicep", (t) =>
      t.replace("allowSharedKeyAccess: false", "allowSharedKeyAccess: true"),
    );
    expect(found).toMatch(
      /storage\.bicep:\d+: .*must set properties\.allowSharedKeyAccess: false \(found true\)/,
    );
  });

  it("local auth left on (property removed) on Cosmos DB, Azure OpenAI and Application Insights", () => {
    expect(problemsAfter("app/cosmos.bicep", (t) => t.replace("    disableLocalAuth: true\n", ""))).toMatch(
      /cosmos\.bicep:\d+: .*properties\.disableLocalAuth: true \(found undefined\)/,
    );
    expect(
      problemsAfter("app/openai.bicep", (t) =>
        t.replace("disableLocalAuth: true", "disableLocalAuth: false"),
      ),
    ).toMatch(/openai\.bicep:\d+: .*properties\.disableLocalAuth: true \(found false\)/);
    expect(
      problemsAfter("app/monitoring.bicep", (t) =>
        t.replace("DisableLocalAuth: true", "DisableLocalAuth: false"),
      ),
    ).toMatch(/monitoring\.bicep:\d+: .*DisableLocalAuth: true/);
  });

  it("a container registry with its admin user on", () => {
    const found = problemsAfter("app/container-registry.bicep", (t) =>
      t.replace("adminUserEnabled: false", "adminUserEnabled: true"),
    );
    expect(found).toMatch(
      /container-registry\.bicep:\d+: .*properties\.adminUserEnabled: false \(found true\)/,
    );
  });

  it("a key in the containerized Function App's environment variables", () => {
    const found = problemsAfter("app/function-container-app.bicep", (t) =>
      t.replace("              name: 'FLOWOPS_STORE'\n", "              name: 'OPENAI_API_KEY'\n"),
    );
    expect(found).toMatch(/function-container-app\.bicep:\d+: app setting 'OPENAI_API_KEY' looks like a key/);
  });

  it("a storage connection string with an account key in the app settings", () => {
    const found = problemsAfter("app/function-app.bicep", (t) =>
      t.replace(
        "    AZURE_CLIENT_ID: identityClientId\n",
        "    AZURE_CLIENT_ID: identityClientId\n    STORAGE_ConnectionString: 'DefaultEndpointsProtocol=https;AccountKey=${storage.listKeys().keys[0].value}'\n    OPENAI_API_KEY: openAiEndpoint\n",
      ),
    );
    expect(found).toMatch(/function-app\.bicep:\d+: app setting 'STORAGE_ConnectionString' looks like a key/);
    expect(found).toMatch(/function-app\.bicep:\d+: app setting 'STORAGE_ConnectionString' embeds a key/);
    expect(found).toMatch(/function-app\.bicep:\d+: app setting 'OPENAI_API_KEY' looks like a key/);
    expect(found).toMatch(/function-app\.bicep:\d+: keys are read with/);
  });

  it("a missing role assignment, and a role the identity does not need", () => {
    const missing = problemsAfter("app/role-assignments.bicep", (t) =>
      t.replace(
        "roleDefinitions', '3913510d-42f4-4e42-8a64-420c390055eb'",
        "roleDefinitions', '00000000-0000-0000-0000-00000000dead'",
      ),
    );
    expect(missing).toMatch(/never granted Monitoring Metrics Publisher/);
    expect(missing).toMatch(
      /role-assignments\.bicep:\d+: the identity gets role 00000000-0000-0000-0000-00000000dead/,
    );
  });

  it("role assignments given to another principal than the identity", () => {
    const found = problemsAfter("main.bicep", (t) =>
      t.replace("principalId: identity.outputs.principalId", "principalId: principalId"),
    );
    expect(found).toMatch(/never granted Storage Blob Data Owner/);
  });

  it("a syntax error, with its line", () => {
    const found = problemsAfter("app/keyvault.bicep", (t) =>
      t.replace("  properties: {\n", "  properties: {{\n"),
    );
    expect(found).toMatch(/keyvault\.bicep:\d+: syntax error/);
    const document = parseBicepFile(join(infra, "app/keyvault.bicep"));
    expect(checkSyntax(document)).toEqual([]);
  });

  it("a module path that does not exist", () => {
    expect(
      problemsAfter("main.bicep", (t) => t.replace("'./app/keyvault.bicep'", "'./app/key-vault.bicep'")),
    ).toMatch(/main\.bicep:\d+: module 'keyVault': module path \.\/app\/key-vault\.bicep does not exist/);
  });

  it("an undeclared parameter, a missing required one and an unknown output", () => {
    const found = problemsAfter("main.bicep", (t) =>
      t
        .replace("    capacity: openAiCapacity\n", "    tokensPerMinute: openAiCapacity\n")
        .replace("cosmos.outputs.endpoint\n", "cosmos.outputs.documentEndpoint\n"),
    );
    expect(found).toMatch(
      /module 'openAi' passes 'tokensPerMinute', which \.\/app\/openai\.bicep does not declare/,
    );
    expect(found).toMatch(/module 'openAi' does not pass required parameter 'capacity'/);
    expect(found).toMatch(
      /main\.bicep:\d+: 'cosmos\.outputs\.documentEndpoint' is not an output of the module/,
    );
  });

  it("an unpinned or unknown registry module", () => {
    const found = problemsAfter("app/monitoring.bicep", (t) =>
      t.replace("workspace:0.12.0", "workspace:latest"),
    );
    expect(found).toMatch(/needs a pinned x\.y\.z version/);
  });
});
