// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the strings are Bicep and azd interpolations, not JavaScript ones
import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { literalAt, parseBicepFile, valueAt } from "./bicep-document.js";
import {
  checkModuleReferences,
  checkSecurity,
  checkSyntax,
  formatProblems,
  functionAppSettings,
  loadBicepTree,
} from "./infra-checks.js";
import { checkRoleAssignments } from "./role-assignment-checks.js";

const root = resolve(import.meta.dirname, "../..");
const infra = join(root, "infra");
const mainFile = join(infra, "main.bicep");
const bicepFiles = readdirSync(infra, { recursive: true, encoding: "utf8" })
  .filter((file) => file.endsWith(".bicep"))
  .map((file) => join(infra, file))
  .sort();
const tree = loadBicepTree(mainFile);
const main = tree.get(mainFile)!;
const appFile = (name: string) => tree.get(join(infra, "app", name))!;

describe("infra/*.bicep parse with the tree-sitter-bicep grammar", () => {
  it.each(bicepFiles.map((file) => [file.slice(root.length + 1), file]))(
    "%s has no syntax error",
    (_, file) => {
      expect(formatProblems(checkSyntax(parseBicepFile(file)))).toBe("");
    },
  );

  it("every module file is reachable from main.bicep", () => {
    expect([...tree.keys()].sort()).toEqual(bicepFiles);
  });
});

describe("module references", () => {
  it.each([...tree.values()].map((doc) => [doc.file.slice(root.length + 1), doc]))(
    "%s: module paths, params and outputs exist",
    (_, document) => {
      expect(formatProblems(checkModuleReferences(document, tree))).toBe("");
    },
  );

  it("main.parameters.json only sets declared parameters and sets every required one", () => {
    const file = JSON.parse(readFileSync(join(infra, "main.parameters.json"), "utf8"));
    const names = Object.keys(file.parameters);
    expect(names.filter((name) => !main.parameters.has(name))).toEqual([]);
    const required = [...main.parameters.values()].filter((p) => p.required).map((p) => p.name);
    expect(required.filter((name) => !names.includes(name))).toEqual([]);
    expect(file.parameters.environmentName.value).toBe("${AZURE_ENV_NAME}");
    expect(file.parameters.location.value).toBe("${AZURE_LOCATION}");
    expect(file.parameters.principalId.value).toBe("${AZURE_PRINCIPAL_ID}");
  });

  it("main.bicep targets the subscription and creates the environment's resource group", () => {
    expect(main.text).toMatch(/^targetScope = 'subscription'$/m);
    const group = main.resources.find((r) => r.type === "Microsoft.Resources/resourceGroups");
    expect(literalAt(group?.body, "name")).toBe("'rg-${environmentName}'");
  });

  it("main.bicep outputs what azd and the app read", () => {
    for (const name of [
      "AZURE_FUNCTION_APP_NAME",
      "AZURE_FUNCTION_APP_URL",
      "AZURE_RESOURCE_GROUP",
      "COSMOS_ENDPOINT",
      "AZURE_OPENAI_ENDPOINT",
      "AZURE_STORAGE_BLOB_ENDPOINT",
      "AZURE_KEY_VAULT_URI",
    ]) {
      expect(main.outputs.has(name), name).toBe(true);
    }
  });
});

describe("security properties", () => {
  it.each([...tree.values()].map((doc) => [doc.file.slice(root.length + 1), doc]))(
    "%s: local auth off, no keys or connection strings",
    (_, document) => {
      expect(formatProblems(checkSecurity(document))).toBe("");
    },
  );

  it("each resource kind with a local-auth switch is declared (so the checks above ran on it)", () => {
    const types = [...tree.values()].flatMap((doc) =>
      doc.resources.filter((r) => !r.existing).map((r) => r.type),
    );
    for (const type of [
      "Microsoft.Storage/storageAccounts",
      "Microsoft.DocumentDB/databaseAccounts",
      "Microsoft.CognitiveServices/accounts",
      "Microsoft.Insights/components",
      "Microsoft.KeyVault/vaults",
      "Microsoft.Web/sites/config",
    ]) {
      expect(types, type).toContain(type);
    }
  });

  it("the Function App identity gets exactly the data-plane roles it needs, each scoped", () => {
    expect(formatProblems(checkRoleAssignments(main, tree))).toBe("");
  });
});

describe("the Function App", () => {
  const document = appFile("function-app.bicep");
  const settings = functionAppSettings(document);
  const setting = (name: string) => settings.get(name)?.text;

  it("runs Node.js 20 on a Flex Consumption plan as the user-assigned identity", () => {
    const plan = document.resources.find((r) => r.type === "Microsoft.Web/serverfarms");
    expect(literalAt(plan?.body, "sku.tier")).toBe("FlexConsumption");
    const site = document.resources.find((r) => r.type === "Microsoft.Web/sites");
    expect(literalAt(site?.body, "identity.type")).toBe("UserAssigned");
    expect(literalAt(site?.body, "properties.functionAppConfig.runtime.name")).toBe("node");
    expect(document.text).toMatch(/param nodeVersion string = '20'/);
    expect(literalAt(site?.body, "properties.functionAppConfig.deployment.storage.authentication.type")).toBe(
      "UserAssignedIdentity",
    );
    expect(literalAt(site?.body, "properties.httpsOnly")).toBe(true);
  });

  it("reaches host storage with identity-based settings", () => {
    expect(setting("AzureWebJobsStorage__credential")).toBe("managedidentity");
    expect(setting("AzureWebJobsStorage__clientId")).toBe("identityClientId");
    for (const service of ["blob", "queue", "table"]) {
      expect(setting(`AzureWebJobsStorage__${service}ServiceUri`)).toMatch(/^storage\w+Endpoint$/);
    }
    expect(settings.has("AzureWebJobsStorage")).toBe(false);
    expect(setting("AZURE_CLIENT_ID")).toBe("identityClientId");
    expect(setting("APPLICATIONINSIGHTS_AUTHENTICATION_STRING")).toBe(
      "'Authorization=AAD;ClientId=${identityClientId}'",
    );
    for (const name of ["COSMOS_ENDPOINT", "AZURE_OPENAI_ENDPOINT", "AZURE_STORAGE_BLOB_ENDPOINT"]) {
      expect(settings.has(name), name).toBe(true);
    }
  });
});

describe("the Function App as a container (functionHosting=containerApps, for flows with python nodes)", () => {
  const document = appFile("function-container-app.bicep");
  const app = document.resources.find((r) => r.type === "Microsoft.App/containerApps");
  const flexSettings = functionAppSettings(appFile("function-app.bicep"));
  const containerSettings = functionAppSettings(document);
  const moduleOf = (path: string) => main.modules.find((m) => m.path === path);

  it("Flex Consumption stays the default; the parameter swaps the Flex app for the container modules", () => {
    expect(main.text).toMatch(/param functionHosting string = 'flex'/);
    expect(main.text).toContain("var containerHosting = functionHosting == 'containerApps'");
    expect(moduleOf("./app/function-app.bicep")?.conditional).toBe(true);
    expect(main.text).toContain("module functionApp './app/function-app.bicep' = if (!containerHosting)");
    for (const file of ["container-registry", "container-apps-environment", "function-container-app"]) {
      const module = moduleOf(`./app/${file}.bicep`);
      expect(module?.conditional, file).toBe(true);
      expect(main.text).toMatch(new RegExp(`module \\w+ './app/${file}.bicep' = if \\(containerHosting\\)`));
    }
    const parameters = JSON.parse(readFileSync(join(infra, "main.parameters.json"), "utf8")).parameters;
    expect(parameters.functionHosting.value).toBe("${FLOWOPS_FUNCTION_HOSTING=flex}");
    expect(main.text).toContain(
      "output AZURE_FUNCTION_APP_URL string = containerHosting ? containerFunctionApp.outputs.uri : functionApp.outputs.uri",
    );
    expect(main.outputs.has("AZURE_CONTAINER_REGISTRY_ENDPOINT")).toBe(true);
  });

  it("is an Azure Functions container app (kind functionapp) running as the identity, pulling with it", () => {
    expect(app?.apiVersion).toBe("2024-10-02-preview");
    expect(literalAt(app?.body, "kind")).toBe("functionapp");
    expect(literalAt(app?.body, "identity.type")).toBe("UserAssigned");
    const registries = valueAt(app?.body, "properties.configuration.registries");
    expect(registries?.kind === "array" && registries.items.map((r) => literalAt(r, "identity"))).toEqual([
      "identityId",
    ]);
    expect(literalAt(app?.body, "properties.configuration.ingress.allowInsecure")).toBe(false);
    expect(document.text).toContain("param serviceName string = 'api-container'");
  });

  it("gets the same identity-based settings as the Flex Consumption app", () => {
    expect([...containerSettings.keys()].sort()).toEqual([...flexSettings.keys()].sort());
    for (const [name, setting] of flexSettings)
      expect(containerSettings.get(name)?.text, name).toBe(setting.text);
  });

  it("pulls from a registry without admin user, the identity holding AcrPull there and only there", () => {
    const registry = appFile("container-registry.bicep");
    const pull = registry.resources.find((r) => r.symbol === "pull");
    expect(literalAt(pull?.body, "scope")).toBe("registry");
    expect(literalAt(pull?.body, "properties.principalId")).toBe("principalId");
    expect(registry.text).toContain("var acrPullRoleId = '7f951dda-4ed3-4680-a7ca-43fe172d538d'");
    expect(literalAt(moduleOf("./app/container-registry.bicep")?.body, "params.principalId")).toBe(
      "identity.outputs.principalId",
    );
    const push = registry.resources.find((r) => r.symbol === "push");
    expect(push?.conditional).toBe(true);
  });

  it("sends the environment's logs to Log Analytics without reading a shared key", () => {
    const environment = appFile("container-apps-environment.bicep");
    const managed = environment.resources.find((r) => r.type === "Microsoft.App/managedEnvironments");
    expect(literalAt(managed?.body, "properties.appLogsConfiguration.destination")).toBe("azure-monitor");
    expect(environment.text).not.toMatch(/sharedKey|listKeys/);
  });
});

describe("data stores", () => {
  it("Cosmos DB is serverless with the flowops containers and their partition keys", () => {
    const cosmos = appFile("cosmos.bicep");
    const account = cosmos.resources.find((r) => r.type === "Microsoft.DocumentDB/databaseAccounts");
    const capabilities = valueAt(account?.body, "properties.capabilities");
    expect(capabilities?.kind === "array" && capabilities.items.map((c) => literalAt(c, "name"))).toEqual([
      "EnableServerless",
    ]);
    expect(cosmos.text).toContain("loadJsonContent('cosmos-containers.json')");
    const spec = JSON.parse(readFileSync(join(infra, "app", "cosmos-containers.json"), "utf8"));
    const keys = Object.fromEntries(
      spec.containers.map((c: { name: string; partitionKeyPath: string }) => [c.name, c.partitionKeyPath]),
    );
    expect(keys).toEqual({
      runs: "/run",
      registry: "/name",
      deployments: "/endpoint",
      requests: "/endpoint",
    });
    expect(literalAt(main.modules.find((m) => m.symbol === "cosmos")?.body, "params.databaseName")).toBe(
      "cosmosDatabaseName",
    );
    expect(main.text).toContain("var cosmosDatabaseName = 'flowops'");
  });

  it("Storage has the registry, data, reports and deployments containers and {flow}-runs queues", () => {
    const storage = appFile("storage.bicep");
    expect(storage.text).toMatch(
      /param containerNames array = \[\s+'registry'\s+'data'\s+'reports'\s+'deployments'\s+\]/,
    );
    const call = main.modules.find((m) => m.symbol === "storage");
    expect(literalAt(call?.body, "params.queueNames")).toBe("'${flow}-runs'");
  });
});

describe("azure.yaml", () => {
  it("deploys the repository as the azd service 'api' to a Function App", () => {
    const project = parse(readFileSync(join(root, "azure.yaml"), "utf8"));
    expect(project.services.api).toEqual({ project: ".", language: "ts", host: "function" });
    // The container hosting's service: the build context `flowops build --output build/functions` writes.
    expect(project.services["api-container"]).toEqual({
      project: "build/functions",
      language: "docker",
      host: "containerapp",
      docker: { path: "Dockerfile", remoteBuild: true },
    });
    expect(project.infra).toMatchObject({ provider: "bicep", path: "infra", module: "main" });
    const site = appFile("function-app.bicep");
    expect(site.text).toContain("param serviceName string = 'api'");
    expect(site.text).toContain("'azd-service-name': serviceName");
  });
});
