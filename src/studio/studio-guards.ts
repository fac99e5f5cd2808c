import type { MiddlewareHandler } from "hono";

const LOOPBACK_INTERFACES = new Set(["127.0.0.1", "::1", "localhost", "[::1]"]);
const LOOPBACK_HOSTS = new Set(["127.0.0.1", "localhost", "[::1]", "::1"]);

/** Whether a listen address is a loopback interface (127.0.0.0/8, ::1, localhost). */
export function isLoopback(host: string | undefined): boolean {
  if (host === undefined) return true;
  return LOOPBACK_INTERFACES.has(host) || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** The host name of a Host header (`127.0.0.1:7071` → `127.0.0.1`, `[::1]:80` → `[::1]`). */
function hostName(header: string): string {
  const bracket = /^(\[[^\]]*\])(?::\d+)?$/.exec(header);
  if (bracket) return bracket[1]!.toLowerCase();
  return header.replace(/:\d+$/, "").toLowerCase();
}

function problem(code: string, message: string) {
  return { error: { code, message } };
}

/**
 * The local-server rules for the studio:
 * - bound to loopback, a request whose Host is not a loopback name is refused (403), so that a web page
 *   on another origin cannot reach the studio through DNS rebinding;
 * - POST bodies must be JSON (415 otherwise), which also keeps cross-site HTML forms out;
 * - bound beyond loopback, the studio is read-only (403 on POST) unless `allowRuns`.
 */
export function studioGuards(options: {
  listenHost?: string;
  allowRuns?: boolean;
  checkHost?: boolean;
}): MiddlewareHandler {
  const loopback = isLoopback(options.listenHost);
  const writable = loopback || options.allowRuns === true;
  return async (c, next) => {
    if (loopback && options.checkHost !== false) {
      const host = c.req.header("host");
      if (
        host !== undefined &&
        !LOOPBACK_HOSTS.has(hostName(host)) &&
        !/^127\.\d+\.\d+\.\d+$/.test(hostName(host))
      )
        return c.json(
          problem(
            "ForbiddenHost",
            `The studio listens on a loopback address and answers only requests for 127.0.0.1 or localhost, not '${host}'.`,
          ),
          403,
        );
    }
    if (c.req.method === "POST") {
      if (!writable)
        return c.json(
          problem(
            "ReadOnly",
            "The studio is read-only when it listens beyond loopback: start it with --allow-runs to run flows from it.",
          ),
          403,
        );
      const type = c.req.header("content-type") ?? "";
      if (!/^application\/json\s*(;|$)/i.test(type))
        return c.json(
          problem("UnsupportedMediaType", "Send the request body as JSON (content-type: application/json)."),
          415,
        );
    }
    await next();
  };
}
