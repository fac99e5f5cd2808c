import { validateWorkflow } from "@action-validator/core";
import { parseDocument } from "yaml";

/**
 * Checks on the GitHub workflows that GitHub itself would only report after a
 * push: YAML syntax, the workflow JSON schema (action-validator, offline), the
 * flowops commands they call, and keyless Azure login.
 */

/**
 * The flowops commands the workflows may call. Each entry is a command path as
 * typed after `npx flowops`; the CLI registers them (issues 3, 4 and 6).
 */
export const flowopsCommands = [
  "flow validate",
  "flow test",
  "run create",
  "run show",
  "run show-metrics",
  "run show-details",
  "run visualize",
  "experiment run",
  "registry data register",
  "registry flow register",
  "registry flow list",
  "registry flow show",
  "registry flow download",
  "registry flow label",
  "deploy",
  "deploy promote",
  "deploy rollback",
  "endpoint compare",
  "build",
];

export interface Step {
  job: string;
  index: number;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, unknown>;
}

export interface Workflow {
  file: string;
  source: string;
  // biome-ignore lint/suspicious/noExplicitAny: a workflow is free-form YAML, checked by the schema
  document: any;
  steps: Step[];
}

export function parseWorkflow(file: string, source: string): Workflow {
  const parsed = parseDocument(source, { uniqueKeys: true, prettyErrors: true });
  if (parsed.errors.length > 0) {
    throw new Error(`${file}: ${parsed.errors.map((error) => error.message).join("\n")}`);
  }
  const document = parsed.toJS();
  const steps: Step[] = [];
  for (const [job, definition] of Object.entries<{ steps?: Omit<Step, "job" | "index">[] }>(
    document.jobs ?? {},
  )) {
    (definition.steps ?? []).forEach((step, index) => {
      steps.push({ job, index, ...step });
    });
  }
  return { file, source, document, steps };
}

/** Schema errors from action-validator, flattened to `path: detail` lines. */
export function schemaErrors(workflow: Workflow): string[] {
  const state = validateWorkflow(workflow.source);
  const lines: string[] = [];
  const flatten = (errors: typeof state.errors, depth: number): void => {
    for (const error of errors) {
      const where = "path" in error && error.path ? error.path : "";
      lines.push(`${"  ".repeat(depth)}${where} ${error.title}${error.detail ? `: ${error.detail}` : ""}`);
      if ("states" in error && error.states) {
        for (const nested of error.states) flatten(nested.errors, depth + 1);
      }
    }
  };
  flatten(state.errors, 0);
  return lines;
}

/** Every `npx flowops ...` in the workflow's run scripts, as the command path typed. */
export function flowopsInvocations(workflow: Workflow): { job: string; command: string }[] {
  const found: { job: string; command: string }[] = [];
  for (const step of workflow.steps) {
    const script = (step.run ?? "").replace(/\\\n\s*/g, " ");
    for (const match of script.matchAll(/npx flowops((?:\s+[a-z][a-z-]*(?=\s|$))+)/g)) {
      found.push({ job: step.job, command: (match[1] ?? "").trim().split(/\s+/).join(" ") });
    }
  }
  return found;
}

export function unknownFlowopsCommands(workflow: Workflow): string[] {
  return flowopsInvocations(workflow)
    .filter((invocation) => !flowopsCommands.includes(invocation.command))
    .map((invocation) => `${workflow.file} (${invocation.job}): npx flowops ${invocation.command}`);
}

/**
 * Azure login must be OIDC: azure/login with client-id/tenant-id/subscription-id
 * from variables, no `creds`/client secret, and id-token: write for the job;
 * azd must log in with the GitHub federated credential.
 */
export function storedSecretLogins(workflow: Workflow): string[] {
  const problems: string[] = [];
  const where = (step: Step) => `${workflow.file} job ${step.job} step ${step.index + 1}`;
  for (const step of workflow.steps) {
    if (step.uses?.toLowerCase().startsWith("azure/login@")) {
      const inputs = step.with ?? {};
      if ("creds" in inputs || "client-secret" in inputs)
        problems.push(`${where(step)}: azure/login with stored credentials`);
      for (const name of ["client-id", "tenant-id", "subscription-id"]) {
        const value = String(inputs[name] ?? "");
        if (!/^\$\{\{\s*vars\.[A-Z_]+\s*\}\}$/.test(value)) {
          problems.push(`${where(step)}: azure/login ${name} must come from a variable, found '${value}'`);
        }
      }
      if (JSON.stringify(step).includes("secrets."))
        problems.push(`${where(step)}: azure/login reads a secret`);
      if (idTokenPermission(workflow, step.job) !== "write") {
        problems.push(`${where(step)}: azure/login needs permissions id-token: write`);
      }
    }
    const script = step.run ?? "";
    if (/azd auth login/.test(script) && !/--federated-credential-provider github/.test(script)) {
      problems.push(`${where(step)}: azd auth login without --federated-credential-provider github`);
    }
    if (/--client-secret|--password|AZURE_CLIENT_SECRET|AZURE_CREDENTIALS/.test(JSON.stringify(step))) {
      problems.push(`${where(step)}: uses a client secret for Azure`);
    }
  }
  return problems;
}

function idTokenPermission(workflow: Workflow, job: string): string | undefined {
  const permissions = workflow.document.jobs?.[job]?.permissions ?? workflow.document.permissions;
  if (permissions === "write-all") return "write";
  return typeof permissions === "object" ? permissions?.["id-token"] : undefined;
}

/** Actions pinned to a release (`@v4`, a tag or a commit), never a moving branch. */
export function unpinnedActions(workflow: Workflow): string[] {
  return workflow.steps
    .filter((step) => step.uses && !step.uses.startsWith("./"))
    .filter((step) => !/@(v\d+(\.\d+){0,2}|[0-9a-f]{40})$/.test(step.uses ?? ""))
    .map((step) => `${workflow.file} job ${step.job}: ${step.uses}`);
}
