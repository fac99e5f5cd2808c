import path from "node:path";
import { type FlowBuildInfo, inspectFlows } from "./inspect-flows.js";
import {
  copyApp,
  copyFlow,
  copyRequirements,
  IMAGE_PYTHON,
  prepareOutput,
  writeText,
} from "./write-build-context.js";

/** The Azure Functions base image the app runs on (Node.js 20, Functions host 4). */
export const FUNCTIONS_BASE_IMAGE = "mcr.microsoft.com/azure-functions/node:4-node20";

export interface BuildSummary {
  output: string;
  /** Every flow in the image, and whether it needs Python. */
  flows: { name: string; python: boolean; requirements: string | null }[];
  /** True when a flow has python nodes: deploy the app as a container (infra `functionHosting=containerApps`). */
  needsPython: boolean;
  files: string[];
}

/**
 * `flowops build --output DIR`: a container build context for the Functions app — the Azure Functions
 * Node.js image with Python 3 added, every flow's requirements installed into one virtual environment at
 * build time, the compiled app and the flows. `docker build DIR` (or `az acr build`) makes the image.
 */
export async function buildFunctionsContext(options: {
  packageRoot: string;
  flowsDir: string;
  output: string;
}): Promise<BuildSummary> {
  await prepareOutput(options.output);
  const flows = await inspectFlows(options.flowsDir);
  const app = await copyApp(options.packageRoot, path.join(options.output, "app"));
  await copyFlow(path.resolve(options.flowsDir), path.join(options.output, "app", "flows"));
  const requirements = await copyRequirements(flows, options.output);
  const needsPython = flows.some((flow) => flow.python);
  await writeText(options.output, "Dockerfile", functionsDockerfile({ requirements, python: needsPython }));
  await writeText(options.output, ".dockerignore", "**/node_modules\n**/__pycache__\n**/.venv\n");
  return {
    output: options.output,
    flows: flows.map((flow) => summary(flow, options.flowsDir)),
    needsPython,
    files: ["Dockerfile", ".dockerignore", ...app.map((name) => `app/${name}`), "app/flows", ...requirements],
  };
}

/** The Dockerfile of the Functions app image. */
export function functionsDockerfile(options: { requirements: string[]; python: boolean }): string {
  const lines = [
    "# Built by `flowops build`: the flowops Functions app (Node.js 20, Azure Functions host 4) with",
    "# Python 3 and every flow's requirements installed at build time. Build: docker build -t IMAGE .",
    `FROM ${FUNCTIONS_BASE_IMAGE}`,
    "",
    "ENV AzureWebJobsScriptRoot=/home/site/wwwroot \\",
    "    AzureFunctionsJobHost__Logging__Console__IsEnabled=true \\",
    "    FLOWOPS_FLOWS=/home/site/wwwroot/flows \\",
    `    FLOWOPS_PYTHON=${IMAGE_PYTHON}`,
    "",
    "# Python for `type: python` nodes and python flex entries (venv: flowops makes one per flow's requirements).",
    "RUN apt-get update \\",
    "    && apt-get install -y --no-install-recommends python3 python3-venv python3-pip \\",
    "    && rm -rf /var/lib/apt/lists/*",
    ...requirementsLines(options.requirements),
    "",
    "# The app: compiled flowops, its production dependencies, host.json and the flows.",
    "COPY app/ /home/site/wwwroot/",
    "WORKDIR /home/site/wwwroot",
    "RUN npm pkg delete scripts.prepare scripts.prestart && npm ci --omit=dev --no-audit --no-fund",
    "",
  ];
  if (!options.python)
    lines.splice(2, 0, "# (No flow has python nodes today: the Flex Consumption plan needs no image.)");
  return lines.join("\n");
}

function requirementsLines(requirements: string[]): string[] {
  if (requirements.length === 0)
    return ["# No flow declares python requirements (environment.python_requirements_txt)."];
  return [
    "",
    "# Every flow's environment.python_requirements_txt, resolved together: a conflict fails the build, not a",
    "# request. Installed into the system Python, which each flow's run-time environment sees: pip finds them there.",
    "COPY requirements/ /tmp/flowops-requirements/",
    `RUN ${IMAGE_PYTHON} -m pip install --no-cache-dir --break-system-packages ${requirements.map((file) => `-r /tmp/flowops-${file}`).join(" ")} \\`,
    "    && rm -rf /tmp/flowops-requirements",
  ];
}

function summary(flow: FlowBuildInfo, root: string): BuildSummary["flows"][number] {
  return {
    name: flow.name,
    python: flow.python,
    requirements: flow.requirements
      ? path.relative(path.resolve(root), flow.requirements).split(path.sep).join("/")
      : null,
  };
}
