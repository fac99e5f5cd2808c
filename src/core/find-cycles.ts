/**
 * Finds the dependency cycles of a graph given as `node -> nodes it depends on`. Returns one cycle per
 * strongly connected component that has one (a self-reference counts), each as the list of node names
 * along the cycle with the first name repeated at the end: `["a", "b", "a"]`. Edges to names that are
 * not keys of the graph are ignored. Deterministic: follows the graph's key order.
 */
export function findCycles(graph: ReadonlyMap<string, ReadonlySet<string>>): string[][] {
  const cycles: string[][] = [];
  for (const component of stronglyConnectedComponents(graph)) {
    const [first] = component;
    if (first === undefined) continue;
    if (component.length === 1 && !graph.get(first)?.has(first)) continue;
    cycles.push(cycleWithin(graph, new Set(component), first));
  }
  return cycles;
}

/** Tarjan's algorithm, iterative so deep graphs cannot overflow the stack. */
function stronglyConnectedComponents(graph: ReadonlyMap<string, ReadonlySet<string>>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const components: string[][] = [];
  let counter = 0;

  for (const root of graph.keys()) {
    if (index.has(root)) continue;
    const work: Array<{ node: string; edges: Iterator<string> }> = [];
    const enter = (node: string): void => {
      index.set(node, counter);
      low.set(node, counter);
      counter++;
      stack.push(node);
      onStack.add(node);
      work.push({ node, edges: (graph.get(node) ?? new Set<string>()).values() });
    };
    enter(root);
    while (work.length > 0) {
      const frame = work[work.length - 1]!;
      const next = frame.edges.next();
      if (!next.done) {
        const target = next.value;
        if (!graph.has(target)) continue;
        if (!index.has(target)) enter(target);
        else if (onStack.has(target)) low.set(frame.node, Math.min(low.get(frame.node)!, index.get(target)!));
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.node, Math.min(low.get(parent.node)!, low.get(frame.node)!));
      if (low.get(frame.node) === index.get(frame.node)) {
        const component: string[] = [];
        let member: string | undefined;
        do {
          member = stack.pop()!;
          onStack.delete(member);
          component.push(member);
        } while (member !== frame.node);
        components.push(sortByGraphOrder(graph, component));
      }
    }
  }
  return components;
}

function sortByGraphOrder(graph: ReadonlyMap<string, ReadonlySet<string>>, names: string[]): string[] {
  const order = [...graph.keys()];
  return names.sort((a, b) => order.indexOf(a) - order.indexOf(b));
}

/** A shortest path from `start` back to itself, staying inside the component (breadth-first). */
function cycleWithin(
  graph: ReadonlyMap<string, ReadonlySet<string>>,
  component: ReadonlySet<string>,
  start: string,
): string[] {
  const previous = new Map<string, string>();
  const queue: string[] = [start];
  while (queue.length > 0) {
    const node = queue.shift()!;
    for (const target of graph.get(node) ?? []) {
      if (!component.has(target)) continue;
      if (target === start) {
        const path = [start];
        for (let at = node; at !== start; at = previous.get(at)!) path.unshift(at);
        path.unshift(start);
        return path;
      }
      if (!previous.has(target)) {
        previous.set(target, node);
        queue.push(target);
      }
    }
  }
  return [start, start];
}
