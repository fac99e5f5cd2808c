/**
 * promptflow's `--environment-variables K=V`: the variables are set in this process while `work` runs
 * (TypeScript nodes read `process.env`) and restored afterwards; python workers and `${env:VAR}`
 * connection values get them through the environment the caller passes on (`withVariables`). Python
 * workers drop secret-looking variables from their environment unless allowed: variables the user named
 * here are allowed (added to FLOWOPS_PYTHON_ENV_ALLOW for the run).
 */
export async function withEnvironmentVariables<T>(
  variables: Record<string, string>,
  work: () => Promise<T>,
): Promise<T> {
  const allow = "FLOWOPS_PYTHON_ENV_ALLOW";
  const before = new Map([allow, ...Object.keys(variables)].map((key) => [key, process.env[key]]));
  Object.assign(process.env, variables);
  process.env[allow] = [process.env[allow], ...Object.keys(variables)].filter(Boolean).join(",");
  try {
    return await work();
  } finally {
    for (const [key, value] of before) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
}
