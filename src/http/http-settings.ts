/** The HTTP settings the environment gives a server (flow serve, the local host, the Functions app). */
export interface HttpSettings {
  /** FLOWOPS_MAX_IN_FLIGHT: POSTs running at once before 503 + Retry-After. */
  maxInFlight?: number;
  /** FLOWOPS_ALLOWED_HOSTS (comma-separated `name[:port]`, or `*`): extra Host values for a loopback server. */
  allowedHosts?: string[];
  /** FLOWOPS_BASE_URL: where callers reach the server, for status URLs in answers. */
  baseUrl?: string;
}

export function httpSettingsFrom(env: NodeJS.ProcessEnv): HttpSettings {
  const maxInFlight = Number(env["FLOWOPS_MAX_IN_FLIGHT"]);
  const hosts = (env["FLOWOPS_ALLOWED_HOSTS"] ?? "")
    .split(",")
    .map((host) => host.trim().toLowerCase())
    .filter(Boolean);
  const baseUrl = env["FLOWOPS_BASE_URL"]?.trim();
  return {
    ...(Number.isInteger(maxInFlight) && maxInFlight > 0 ? { maxInFlight } : {}),
    ...(hosts.length > 0 ? { allowedHosts: hosts } : {}),
    ...(baseUrl ? { baseUrl: baseUrl.replace(/\/+$/, "") } : {}),
  };
}
