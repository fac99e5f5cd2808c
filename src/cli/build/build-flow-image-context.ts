import path from "node:path";
import { inspectFlow } from "./inspect-flows.js";
import {
  copyApp,
  copyFlow,
  copyRequirements,
  IMAGE_PYTHON,
  prepareOutput,
  writeText,
} from "./write-build-context.js";

/** The Node.js image one served flow runs on. */
export const FLOW_BASE_IMAGE = "node:20-bookworm-slim";

/**
 * `flowops build --source DIR --format docker --output OUT` (promptflow's `pf flow build --format docker`):
 * an image context that serves one flow with `flowops flow serve` on `$PORT` (default 8080), for App
 * Service, Kubernetes or any container host. Python and the flow's requirements are installed when the
 * flow has python nodes.
 */
export async function buildFlowImageContext(options: {
  packageRoot: string;
  source: string;
  output: string;
}) {
  await prepareOutput(options.output);
  const flow = await inspectFlow(options.source);
  const app = await copyApp(options.packageRoot, path.join(options.output, "flowops"));
  await copyFlow(flow.directory, path.join(options.output, "flow"));
  const requirements = await copyRequirements([{ ...flow, name: "flow" }], options.output);
  await writeText(options.output, "Dockerfile", flowDockerfile({ python: flow.python, requirements }));
  await writeText(options.output, ".dockerignore", "**/node_modules\n**/__pycache__\n**/.venv\n");
  return {
    output: options.output,
    flow: flow.name,
    python: flow.python,
    files: ["Dockerfile", ".dockerignore", ...app.map((name) => `flowops/${name}`), "flow", ...requirements],
  };
}

export function flowDockerfile(options: { python: boolean; requirements: string[] }): string {
  const python = options.python
    ? [
        "# Python for the flow's python nodes, with its requirements installed at build time.",
        "RUN apt-get update \\",
        "    && apt-get install -y --no-install-recommends python3 python3-venv python3-pip \\",
        "    && rm -rf /var/lib/apt/lists/*",
        `ENV FLOWOPS_PYTHON=${IMAGE_PYTHON}`,
        ...(options.requirements.length > 0
          ? [
              "COPY requirements/ /tmp/flowops-requirements/",
              `RUN ${IMAGE_PYTHON} -m pip install --no-cache-dir --break-system-packages -r /tmp/flowops-requirements/flow.txt \\`,
              "    && rm -rf /tmp/flowops-requirements",
            ]
          : []),
        "",
      ]
    : [];
  return [
    "# Built by `flowops build --format docker`: serves one flow (POST /score, GET /health) on $PORT.",
    "# Build: docker build -t IMAGE .   Run: docker run -p 8080:8080 -e FLOWOPS_CONNECTION_<NAME>='{...}' IMAGE",
    `FROM ${FLOW_BASE_IMAGE}`,
    "",
    ...python,
    "COPY flowops/ /opt/flowops/",
    "RUN cd /opt/flowops && npm pkg delete scripts.prepare scripts.prestart && npm ci --omit=dev --no-audit --no-fund",
    "COPY flow/ /flow/",
    "",
    "ENV PORT=8080 FLOWOPS_HOME=/tmp/flowops",
    "EXPOSE 8080",
    "USER node",
    'CMD ["sh", "-c", "exec node /opt/flowops/bin/flowops.js flow serve --source /flow --host 0.0.0.0 --port \\"${PORT:-8080}\\""]',
    "",
  ].join("\n");
}
