import { isMap, isScalar, isSeq, type LineCounter, type Node } from "yaml";

/** A path into a YAML document: keys and list indexes, e.g. `["nodes", 2, "inputs", "text"]`. */
export type YamlPath = readonly (string | number)[];
/** Finds where a path starts in the YAML file (1-based line and column), or undefined. */
export type Locate = (path: YamlPath) => { line: number; column: number } | undefined;

/**
 * Finds where a path (keys and list indexes) starts in a parsed YAML document, falling back to the
 * deepest part of the path that exists, so a missing field points at its parent.
 */
export function yamlLocator(root: unknown, lineCounter: LineCounter): Locate {
  return (path) => {
    let current: unknown = root;
    let last: Node | undefined = isNode(root) ? root : undefined;
    for (const step of path) {
      if (isMap(current)) {
        const pair = current.items.find((item) => (isScalar(item.key) ? item.key.value : item.key) === step);
        if (!pair) break;
        last = (isNode(pair.key) ? pair.key : undefined) ?? last;
        current = pair.value;
      } else if (isSeq(current) && typeof step === "number" && isNode(current.items[step])) {
        current = current.items[step];
        last = current as Node;
      } else {
        break;
      }
    }
    const offset = last?.range?.[0];
    if (offset === undefined) return undefined;
    const at = lineCounter.linePos(offset);
    return { line: at.line, column: at.col };
  };
}

/** `nodes[2].inputs.text`, `datasets[1].column_mapping.text` */
export function formatYamlPath(path: YamlPath): string {
  return path
    .map((step, i) => (typeof step === "number" ? `[${step}]` : i === 0 ? step : `.${step}`))
    .join("");
}

function isNode(value: unknown): value is Node {
  return typeof value === "object" && value !== null && "range" in value;
}
