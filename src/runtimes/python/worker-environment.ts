import { withoutSecrets } from "../../secrets/index.js";

/**
 * The environment a Python worker starts with: this process's environment without the variables that
 * hold secrets (`FLOWOPS_CONNECTION_*`, `*_API_KEY`, `AZURE_*KEY*`, `*SECRET*`, `*PASSWORD*`, `*TOKEN*`,
 * connection strings...: see src/secrets/environment-secrets.ts). A tool gets the connections it
 * declares through the worker protocol, resolved; it does not see every key the host holds. Names
 * listed in `FLOWOPS_PYTHON_ENV_ALLOW` (comma-separated) are passed anyway, for tools that read a
 * variable themselves.
 */
export function workerEnvironment(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const allowed = (env["FLOWOPS_PYTHON_ENV_ALLOW"] ?? "")
    .split(",")
    .map((name) => name.trim())
    .filter((name) => name !== "");
  const kept: NodeJS.ProcessEnv = withoutSecrets(env);
  for (const name of allowed) if (env[name] !== undefined) kept[name] = env[name];
  return { ...kept, PYTHONUNBUFFERED: "1", PYTHONDONTWRITEBYTECODE: "1" };
}
