import { existsSync } from "node:fs";
import { dirname, relative, resolve } from "node:path";
import {
  type BicepDocument,
  type BicepValue,
  literalAt,
  type ModuleDeclaration,
  parseBicepFile,
  valueAt,
} from "./bicep-document.js";

/**
 * What the Bicep compiler (and the team's security rules) would reject, checked
 * on parsed trees so the tests run offline. Each check returns problems naming
 * the file and line; an empty list means the check passed.
 */
export interface InfraProblem {
  file: string;
  line: number;
  message: string;
}

/**
 * Azure Verified Modules used from the public registry: their parameters and
 * outputs as published (avm/res/operational-insights/workspace main.bicep), so
 * module calls into them are checked like local ones.
 */
export const registryModules: Record<string, { params: string[]; required: string[]; outputs: string[] }> = {
  "br/public:avm/res/operational-insights/workspace": {
    params: ["name", "location", "tags", "skuName", "dataRetention", "dailyQuotaGb", "enableTelemetry"],
    required: ["name"],
    outputs: ["resourceId", "resourceGroupName", "name", "logAnalyticsWorkspaceId", "location"],
  },
};

/** Loads a Bicep file and every local module it references, transitively. */
export function loadBicepTree(entry: string): Map<string, BicepDocument> {
  const documents = new Map<string, BicepDocument>();
  const pending = [resolve(entry)];
  while (pending.length > 0) {
    const file = pending.pop()!;
    if (documents.has(file) || !existsSync(file)) continue;
    const document = parseBicepFile(file);
    documents.set(file, document);
    for (const module of document.modules) {
      if (!module.path.startsWith("br/")) pending.push(resolve(dirname(file), module.path));
    }
  }
  return documents;
}

export function checkSyntax(document: BicepDocument): InfraProblem[] {
  return document.syntaxErrors.map((error) => ({
    file: document.file,
    line: error.line,
    message: `syntax error at column ${error.column}: ${error.message}`,
  }));
}

interface ModuleInterface {
  params: Set<string>;
  required: Set<string>;
  outputs: Set<string>;
}

/** Module paths exist; passed params are declared and required ones passed; `m.outputs.x` exist. */
export function checkModuleReferences(
  document: BicepDocument,
  tree: Map<string, BicepDocument>,
): InfraProblem[] {
  const problems: InfraProblem[] = [];
  const report = (line: number, message: string) => problems.push({ file: document.file, line, message });
  const interfaces = new Map<string, ModuleInterface>();
  for (const module of document.modules) {
    const target = moduleInterface(module, document, tree);
    if (typeof target === "string") {
      report(module.line, `module '${module.symbol}': ${target}`);
      continue;
    }
    interfaces.set(module.symbol, target);
    const params = valueAt(module.body, "params");
    const passed = params?.kind === "object" ? [...params.properties.keys()] : [];
    for (const name of passed) {
      if (!target.params.has(name)) {
        report(
          module.line,
          `module '${module.symbol}' passes '${name}', which ${module.path} does not declare`,
        );
      }
    }
    for (const name of target.required) {
      if (!passed.includes(name)) {
        report(
          module.line,
          `module '${module.symbol}' does not pass required parameter '${name}' of ${module.path}`,
        );
      }
    }
  }
  for (const chain of document.memberChains) {
    const [symbol, member, output] = chain.path;
    const target = symbol ? interfaces.get(symbol) : undefined;
    if (!target || member !== "outputs" || !output) continue;
    if (!target.outputs.has(output))
      report(chain.line, `'${symbol}.outputs.${output}' is not an output of the module`);
  }
  return problems;
}

function moduleInterface(
  module: ModuleDeclaration,
  document: BicepDocument,
  tree: Map<string, BicepDocument>,
): ModuleInterface | string {
  if (module.path.startsWith("br/")) {
    const [reference, version] = module.path.split(/:(?=[^:]*$)/);
    if (!version || !/^\d+\.\d+\.\d+$/.test(version))
      return `registry module ${module.path} needs a pinned x.y.z version`;
    const known = registryModules[reference ?? ""];
    if (!known) return `registry module ${reference} is not in registryModules (add its params and outputs)`;
    return {
      params: new Set(known.params),
      required: new Set(known.required),
      outputs: new Set(known.outputs),
    };
  }
  const file = resolve(dirname(document.file), module.path);
  const target = tree.get(file) ?? (existsSync(file) ? parseBicepFile(file) : undefined);
  if (!target) return `module path ${module.path} does not exist (${relative(process.cwd(), file)})`;
  const required = [...target.parameters.values()].filter((p) => p.required).map((p) => p.name);
  return {
    params: new Set(target.parameters.keys()),
    required: new Set(required),
    outputs: new Set(target.outputs.keys()),
  };
}

/** Security properties per resource type, read from the parsed resource bodies. */
const requiredProperties: Record<string, Record<string, unknown>> = {
  "Microsoft.Storage/storageAccounts": {
    "properties.allowSharedKeyAccess": false,
    "properties.minimumTlsVersion": "TLS1_2",
    "properties.allowBlobPublicAccess": false,
  },
  "Microsoft.DocumentDB/databaseAccounts": { "properties.disableLocalAuth": true },
  "Microsoft.CognitiveServices/accounts": { "properties.disableLocalAuth": true },
  "Microsoft.Insights/components": { "properties.DisableLocalAuth": true },
  "Microsoft.KeyVault/vaults": { "properties.enableRbacAuthorization": true },
  "Microsoft.ContainerRegistry/registries": {
    "properties.adminUserEnabled": false,
    "properties.anonymousPullEnabled": false,
  },
};

/** Names of app settings that would carry a secret; APPLICATIONINSIGHTS_CONNECTION_STRING is exempt (see below). */
const secretSettingName = /(key|connectionstring|accountkey)$/i;
const secretSettingValue = /AccountKey=|listKeys\(|listConnectionStrings\(|SharedAccessKey=/i;
/** Not a secret: with DisableLocalAuth the ingestion endpoint needs an Entra token (the AUTHENTICATION_STRING). */
const allowedSettingNames = new Set(["APPLICATIONINSIGHTS_CONNECTION_STRING"]);

export function checkSecurity(document: BicepDocument): InfraProblem[] {
  const problems: InfraProblem[] = [];
  const report = (line: number, message: string) => problems.push({ file: document.file, line, message });
  for (const resource of document.resources) {
    if (resource.existing) continue;
    for (const [path, expected] of Object.entries(requiredProperties[resource.type] ?? {})) {
      const actual = literalAt(resource.body, path);
      if (actual !== expected) {
        const line = valueAt(resource.body, path)?.line ?? resource.line;
        report(
          line,
          `${resource.type} '${resource.symbol}' must set ${path}: ${String(expected)} (found ${String(actual)})`,
        );
      }
    }
    for (const setting of appSettings(resource.type, resource.body)) {
      const compact = setting.name.replaceAll("_", "");
      if (secretSettingName.test(compact) && !allowedSettingNames.has(setting.name)) {
        report(
          setting.line,
          `app setting '${setting.name}' looks like a key or connection string: use identity-based settings`,
        );
      }
      if (secretSettingValue.test(setting.text)) {
        report(
          setting.line,
          `app setting '${setting.name}' embeds a key (${setting.text}): use managed identity`,
        );
      }
    }
  }
  document.text.split("\n").forEach((text, index) => {
    if (/\blist(Keys|ConnectionStrings|AccountSas)\(/.test(text) && !text.trim().startsWith("//")) {
      report(index + 1, `keys are read with ${text.trim()}: infra must stay keyless`);
    }
  });
  return problems;
}

interface AppSetting {
  name: string;
  text: string;
  line: number;
}

function appSettings(type: string, body: BicepValue): AppSetting[] {
  const settings: AppSetting[] = [];
  if (type === "Microsoft.Web/sites/config" && literalAt(body, "name") === "appsettings") {
    const properties = valueAt(body, "properties");
    if (properties?.kind === "object") {
      for (const [name, value] of properties.properties)
        settings.push({ name, text: valueText(value), line: value.line });
    }
  }
  if (type === "Microsoft.Web/sites") {
    const list = valueAt(body, "properties.siteConfig.appSettings");
    for (const item of list?.kind === "array" ? list.items : []) {
      const name = literalAt(item, "name");
      const value = valueAt(item, "value");
      if (typeof name === "string")
        settings.push({ name, text: value ? valueText(value) : "", line: item.line });
    }
  }
  if (type === "Microsoft.App/containerApps") {
    const containers = valueAt(body, "properties.template.containers");
    for (const container of containers?.kind === "array" ? containers.items : []) {
      const env = valueAt(container, "env");
      for (const item of env?.kind === "array" ? env.items : []) {
        const name = literalAt(item, "name");
        const value = valueAt(item, "value");
        if (typeof name === "string")
          settings.push({ name, text: value ? valueText(value) : "", line: item.line });
      }
    }
  }
  return settings;
}

export function valueText(value: BicepValue): string {
  switch (value.kind) {
    case "literal":
      return String(value.value);
    case "expression":
      return value.text;
    case "array":
      return value.items.map(valueText).join(" ");
    case "object":
      return [...value.properties].map(([key, item]) => `${key}: ${valueText(item)}`).join(" ");
  }
}

/** Every app setting of the Function App resources in a document, by name. */
export function functionAppSettings(document: BicepDocument): Map<string, AppSetting> {
  const settings = new Map<string, AppSetting>();
  for (const resource of document.resources) {
    for (const setting of appSettings(resource.type, resource.body)) settings.set(setting.name, setting);
  }
  return settings;
}

export function formatProblems(problems: InfraProblem[]): string {
  return problems.map((p) => `${relative(process.cwd(), p.file)}:${p.line}: ${p.message}`).join("\n");
}
