/**
 * `import()` of a module from outside flowops' own code: a user's code node, or tsx. The CLI can run
 * from a bundle evaluated with a V8 code cache (src/cli/load-cached-bundle.ts), where a plain
 * `import()` cannot work (Node 20 loses its loader for code from a cache); that loader puts a real
 * `import()` under IMPORT_HOOK. Everywhere else this is `import()` itself.
 */
export function importModule(specifier: string): Promise<Record<string, unknown>> {
  const hook = (globalThis as { [IMPORT_HOOK]?: (specifier: string) => Promise<Record<string, unknown>> })[
    IMPORT_HOOK
  ];
  return hook ? hook(specifier) : import(specifier);
}

/** Where a bundle's loader puts its `import()`. */
export const IMPORT_HOOK = Symbol.for("flowops.importModule");
