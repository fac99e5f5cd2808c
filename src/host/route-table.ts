import type { HttpFunction } from "../app/function-table.js";

export interface RouteMatch {
  fn: HttpFunction;
  params: Record<string, string>;
}

interface CompiledRoute {
  fn: HttpFunction;
  pattern: RegExp;
  names: string[];
  literal: boolean;
}

/**
 * Azure Functions route templates (`flows/chat`, `runs/{name}/lines`) under `/api`, matched as the
 * Functions host does: literal routes win over parameterised ones; `{name}` matches one segment.
 */
export class RouteTable {
  private readonly literal = new Map<string, HttpFunction[]>();
  private readonly templated: CompiledRoute[] = [];

  constructor(functions: readonly HttpFunction[], prefix = "/api") {
    for (const fn of functions) {
      const path = `${prefix}/${fn.route}`.replace(/\/+/g, "/");
      const names: string[] = [];
      const source = path
        .split("/")
        .map((segment) => {
          const match = /^\{(\*?)([A-Za-z_][A-Za-z0-9_]*)\}$/.exec(segment);
          if (!match) return segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
          names.push(match[2]!);
          return match[1] ? "(.*)" : "([^/]+)";
        })
        .join("/");
      if (names.length === 0) {
        const list = this.literal.get(path.toLowerCase()) ?? [];
        list.push(fn);
        this.literal.set(path.toLowerCase(), list);
      } else {
        this.templated.push({ fn, pattern: new RegExp(`^${source}$`, "i"), names, literal: false });
      }
    }
  }

  /** The function for a method and path; `methodMismatch` when the path exists for other methods. */
  match(method: string, path: string): RouteMatch | { methodMismatch: string[] } | undefined {
    const allowed: string[] = [];
    for (const fn of this.literal.get(path.toLowerCase()) ?? []) {
      if (fn.methods.includes(method as "GET")) return { fn, params: {} };
      allowed.push(...fn.methods);
    }
    for (const route of this.templated) {
      const found = route.pattern.exec(path);
      if (!found) continue;
      if (!route.fn.methods.includes(method as "GET")) {
        allowed.push(...route.fn.methods);
        continue;
      }
      const params: Record<string, string> = {};
      route.names.forEach((name, index) => {
        params[name] = decodeURIComponent(found[index + 1]!);
      });
      return { fn: route.fn, params };
    }
    return allowed.length > 0 ? { methodMismatch: allowed } : undefined;
  }
}
