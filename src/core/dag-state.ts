/**
 * Ready-set bookkeeping for one line (promptflow's DAGManager, without the running): which nodes are
 * waiting, ready, done or bypassed. Pure and synchronous; the executor decides what "running" means.
 *
 * A node becomes ready when every node it references (in its inputs and its `activate.when`) is
 * completed or bypassed. A ready node is bypassed (promptflow `_is_node_bypassable`):
 * - when it has `activate`: if the node its condition reads was bypassed, or the condition is not met;
 *   otherwise it runs, even if all its input nodes were bypassed;
 * - without `activate`: when it has input references to nodes and all of them were bypassed.
 */

export const WAITING = 0;
export const RUNNING = 1;
export const COMPLETED = 2;
export const BYPASSED = 3;
export const FAILED = 4;
export type NodeStatusCode = 0 | 1 | 2 | 3 | 4;

/** The shape of the graph, computed once per flow. Indices are positions in the node list. */
export interface DagShape {
  /** For each node, the distinct nodes it waits for. */
  readonly dependencies: readonly (readonly number[])[];
  /** For each node, the nodes that wait for it. */
  readonly dependents: readonly (readonly number[])[];
}

export function dagShape(dependencies: readonly (readonly number[])[]): DagShape {
  const dependents: number[][] = dependencies.map(() => []);
  dependencies.forEach((deps, node) => {
    for (const dep of deps) dependents[dep]!.push(node);
  });
  return { dependencies, dependents };
}

export class DagState {
  readonly status: Uint8Array;
  private readonly waiting: Int32Array;
  private unsettled: number;

  constructor(private readonly shape: DagShape) {
    const n = shape.dependencies.length;
    this.status = new Uint8Array(n);
    this.waiting = new Int32Array(n);
    for (let i = 0; i < n; i++) this.waiting[i] = shape.dependencies[i]!.length;
    this.unsettled = n;
  }

  /** Nodes that wait for nothing. */
  initialReady(): number[] {
    const ready: number[] = [];
    for (let i = 0; i < this.waiting.length; i++) if (this.waiting[i] === 0) ready.push(i);
    return ready;
  }

  start(node: number): void {
    this.status[node] = RUNNING;
  }

  /** Marks a node completed or bypassed; returns the nodes that became ready because of it. */
  settle(node: number, status: typeof COMPLETED | typeof BYPASSED): number[] {
    this.status[node] = status;
    this.unsettled--;
    const ready: number[] = [];
    for (const next of this.shape.dependents[node]!) {
      if (--this.waiting[next]! === 0) ready.push(next);
    }
    return ready;
  }

  fail(node: number): void {
    this.status[node] = FAILED;
  }

  isBypassed(node: number): boolean {
    return this.status[node] === BYPASSED;
  }

  /** Whether every node is completed or bypassed. */
  get done(): boolean {
    return this.unsettled === 0;
  }
}

/** What the bypass rule needs to know about a node. */
export interface BypassRule {
  /** The node `activate.when` reads, if it reads a node. */
  activateNode?: number;
  hasActivate: boolean;
  /** One entry per input that is a node reference (duplicates kept, as promptflow counts inputs). */
  inputNodes: readonly number[];
}

/** promptflow's `_is_node_bypassable`, for a ready node. `conditionMet` is only called when needed. */
export function shouldBypass(rule: BypassRule, state: DagState, conditionMet: () => boolean): boolean {
  if (rule.hasActivate) {
    if (rule.activateNode !== undefined && state.isBypassed(rule.activateNode)) return true;
    return !conditionMet();
  }
  return rule.inputNodes.length > 0 && rule.inputNodes.every((n) => state.isBypassed(n));
}

/** Python `==` for activate conditions: structural for lists/objects, `1 == 1.0`, `True == 1`. */
export function pythonEquals(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (
    (typeof a === "boolean" || typeof a === "number") &&
    (typeof b === "boolean" || typeof b === "number")
  ) {
    return Number(a) === Number(b);
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((item, i) => pythonEquals(item, b[i]));
  }
  if (a && b && typeof a === "object" && typeof b === "object" && !Array.isArray(a) && !Array.isArray(b)) {
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    return (
      ka.length === kb.length &&
      ka.every(
        (k) =>
          Object.hasOwn(b, k) &&
          pythonEquals((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]),
      )
    );
  }
  return false;
}
