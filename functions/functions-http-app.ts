import type { HttpFunction } from "../src/app/function-table.js";
import { createHttpApp } from "../src/http/create-http-app.js";
import { FUNCTION_ROUTES, functionRoutes } from "../src/http/function-routes.js";

/**
 * The one HTTP app (src/http) serving the function table's HTTP functions: every HTTP trigger hands
 * its request to it. `index.ts` imports this module with the first request, not at start-up.
 */
export function createFunctionsHttpApp(functions: HttpFunction[], maxInFlight?: number) {
  return createHttpApp({
    mounts: [{ path: "/", app: functionRoutes(functions) }],
    ...(maxInFlight ? { maxInFlight } : {}),
    notFound: (method, path) => `no route ${method} ${path.slice(0, 200)}: ${FUNCTION_ROUTES}`,
  });
}
