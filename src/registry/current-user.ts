import { userInfo } from "node:os";

/** Who is acting, for audit fields: FLOWOPS_USER, then GITHUB_ACTOR (CI), then the OS user. */
export function currentUser(env: NodeJS.ProcessEnv = process.env): string {
  const named = env["FLOWOPS_USER"] || env["GITHUB_ACTOR"];
  if (named) return named;
  try {
    return userInfo().username;
  } catch {
    return "unknown";
  }
}
