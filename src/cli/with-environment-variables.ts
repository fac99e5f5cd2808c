/**
 * promptflow's `--environment-variables K=V`: the variables are set in this process while `work` runs
 * (TypeScript nodes read `process.env`) and restored afterwards; python workers and `${env:VAR}`
 * connection values get them through the environment the caller passes on (`withVariables`).
 */
export async function withEnvironmentVariables<T>(
  variables: Record<string, string>,
  work: () => Promise<T>,
): Promise<T> {
  const before = new Map(Object.keys(variables).map((key) => [key, process.env[key]]));
  Object.assign(process.env, variables);
  try {
    return await work();
  } finally {
    for (const [key, value] of before) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
}
