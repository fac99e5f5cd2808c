// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the strings are GitHub expressions and shell, not JavaScript
import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import {
  flowopsInvocations,
  parseWorkflow,
  schemaErrors,
  storedSecretLogins,
  unknownFlowopsCommands,
  unpinnedActions,
  type Workflow,
} from "./workflow-checks.js";

const directory = resolve(import.meta.dirname, "../../.github/workflows");
const files = readdirSync(directory)
  .filter((file) => /\.ya?ml$/.test(file))
  .sort();
const workflows = new Map<string, Workflow>(
  files.map((file) => [file, parseWorkflow(file, readFileSync(join(directory, file), "utf8"))]),
);
const workflow = (file: string) => workflows.get(file)!;
/** The run scripts of a workflow, with shell line continuations joined. */
const scripts = (file: string) =>
  workflow(file)
    .steps.map((step) => (step.run ?? "").replace(/\s*\\\n\s*/g, " "))
    .join("\n");
const commands = (file: string) => flowopsInvocations(workflow(file)).map((invocation) => invocation.command);

describe.each(files)("%s", (file) => {
  it("is valid YAML and matches the GitHub workflow schema", () => {
    expect(schemaErrors(workflow(file)).join("\n")).toBe("");
  });

  it("calls only flowops commands the CLI provides", () => {
    expect(unknownFlowopsCommands(workflow(file))).toEqual([]);
  });

  it("logs in to Azure with OIDC only, never a stored secret", () => {
    expect(storedSecretLogins(workflow(file))).toEqual([]);
  });

  it("pins every action to a release", () => {
    expect(unpinnedActions(workflow(file))).toEqual([]);
  });
});

describe("the workflows the LLMOps lifecycle needs", () => {
  it("has exactly pr, main, infra and post-prod-eval", () => {
    expect(files).toEqual(["infra.yml", "main.yml", "post-prod-eval.yml", "pr.yml"]);
  });

  it("pr.yml: lint, typecheck, tests, validation of every flow, a bulk run + evaluation posted on the PR", () => {
    const pr = workflow("pr.yml");
    expect(Object.keys(pr.document.on)).toEqual(["pull_request"]);
    const text = scripts("pr.yml");
    for (const command of ["npm ci", "npm run lint", "npm run typecheck", "npx vitest run"]) {
      expect(text).toContain(command);
    }
    expect(text).toMatch(/find flows -name flow\.dag\.yaml/);
    expect(commands("pr.yml")).toEqual(
      expect.arrayContaining(["flow validate", "run create", "run show-metrics"]),
    );
    expect(text).toContain("FLOWOPS_LLM_MODE=replay");
    const comment = pr.steps.find((step) => step.uses?.startsWith("actions/github-script@"));
    expect(String(comment?.with?.script)).toMatch(/createComment|updateComment/);
    expect(pr.document.jobs.evaluate.permissions["pull-requests"]).toBe("write");
  });

  it("main.yml: gated experiment, conditional registration, azd provision + deploy, smoke test, small-share promotion", () => {
    const main = workflow("main.yml");
    expect(main.document.on.push.branches).toEqual(["main"]);
    const text = scripts("main.yml");
    expect(text).toContain("npx flowops experiment run flows/experiments/ner-experiment.yaml --output out/");
    expect(text).toMatch(/npx flowops registry flow register [^\n]*--if-gates-pass out\//);
    expect(commands("main.yml")).toEqual(
      expect.arrayContaining([
        "experiment run",
        "registry data register",
        "registry flow register",
        "deploy",
      ]),
    );
    expect(text).toContain("az bicep build --file infra/main.bicep");
    const order = ["azd provision", "registry flow register", "azd deploy", "curl", "npx flowops deploy"];
    const positions = order.map((needle) => text.indexOf(needle));
    expect(positions.every((position) => position >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(text).toContain('--flow "$FLOW_NAME:$CANDIDATE=$CANDIDATE_SHARE"');
    expect(main.document.env.CANDIDATE_SHARE).toBe(10);
    expect(main.document.jobs["deploy-dev"].needs).toBe("experiment");
    // Python in production: the container build context, and the hosting chosen from it before provisioning.
    expect(text).toContain("npx flowops build --output build/functions");
    expect(text).toContain('azd env set FLOWOPS_FUNCTION_HOSTING "$hosting"');
    expect(text).toContain('azd deploy "$AZD_SERVICE" --no-prompt');
    const hosting = ["npx flowops build", "azd provision", 'azd deploy "$AZD_SERVICE"'].map((n) =>
      text.indexOf(n),
    );
    expect([...hosting].sort((a, b) => a - b)).toEqual(hosting);
  });

  it("infra.yml: az bicep build for every file and a subscription what-if, on changes under infra/", () => {
    const infra = workflow("infra.yml");
    expect(infra.document.on.pull_request.paths).toContain("infra/**");
    expect(infra.document.on.push.paths).toContain("infra/**");
    const text = scripts("infra.yml");
    expect(text).toMatch(/find infra -name '\*\.bicep'/);
    expect(text).toContain('az bicep build --file "$file"');
    expect(text).toMatch(/az deployment sub what-if --name/);
    expect(text).toContain("--template-file infra/main.bicep");
  });

  it("post-prod-eval.yml: daily evaluation of logged traffic that fails below its gate", () => {
    const post = workflow("post-prod-eval.yml");
    expect(post.document.on.schedule[0].cron).toMatch(/^\S+ \S+ \* \* \*$/);
    const text = scripts("post-prod-eval.yml");
    expect(text).toContain('--data "prod:$ENDPOINT:$SINCE"');
    expect(post.document.env.SINCE).toContain("'1d'");
    expect(commands("post-prod-eval.yml")).toEqual(
      expect.arrayContaining(["run create", "run show-metrics", "endpoint compare"]),
    );
    expect(text).toMatch(/::error::.*below its gate/);
    expect(text).toMatch(/exit 1/);
  });
});

describe("the checks reject bad workflows", () => {
  const bad = (source: string) => parseWorkflow("bad.yml", source);
  const base = `name: bad
on: push
permissions:
  contents: read
jobs:
  deploy:
    runs-on: ubuntu-latest
    steps:
`;

  it("an Azure login with a stored service principal secret", () => {
    const found = storedSecretLogins(
      bad(`${base}      - uses: azure/login@v2
        with:
          creds: \${{ secrets.AZURE_CREDENTIALS }}
`),
    );
    expect(found.join("\n")).toMatch(/stored credentials/);
    expect(found.join("\n")).toMatch(/client-id must come from a variable/);
    expect(found.join("\n")).toMatch(/reads a secret/);
    expect(found.join("\n")).toMatch(/needs permissions id-token: write/);
  });

  it("azd logging in with a client secret", () => {
    const found = storedSecretLogins(
      bad(`${base}      - run: azd auth login --client-id x --client-secret "\${{ secrets.SP_SECRET }}" --tenant-id y
`),
    );
    expect(found.join("\n")).toMatch(/without --federated-credential-provider github/);
    expect(found.join("\n")).toMatch(/uses a client secret/);
  });

  it("an unknown flowops verb", () => {
    const workflow = bad(`${base}      - run: |
          npx flowops flow validate --source flows/x
          npx flowops registry flow publish --flow flows/x \\
            --name x
`);
    expect(unknownFlowopsCommands(workflow)).toEqual(["bad.yml (deploy): npx flowops registry flow publish"]);
  });

  it("a schema violation, a duplicated key and an unpinned action", () => {
    expect(
      schemaErrors(bad(`${base}      - uses: actions/checkout@v4\n        run: echo both\n`)).join("\n"),
    ).not.toBe("");
    expect(schemaErrors(bad(base.replace("runs-on", "runs-onn") + "      - run: echo\n")).join("\n")).toMatch(
      /runs-onn/,
    );
    expect(() => bad(`${base}      - run: echo\n    runs-on: ubuntu-22.04\n`)).toThrow(/bad\.yml/);
    expect(unpinnedActions(bad(`${base}      - uses: actions/checkout@main\n`))).toEqual([
      "bad.yml job deploy: actions/checkout@main",
    ]);
  });
});
