import dagre from "@dagrejs/dagre";
import { useMemo } from "preact/hooks";
import type { GraphEdge, GraphNode } from "../../api/flow-graph-types.js";

export type { GraphEdge, GraphNode } from "../../api/flow-graph-types.js";

const WIDTH = 190;

function height(node: GraphNode): number {
  return 46 + (node.activate ? 16 : 0) + (node.variants ? 16 : 0);
}

/**
 * The flow's DAG laid out top to bottom by dagre and drawn as SVG: inputs and outputs as rounded ends,
 * aggregation nodes dashed and set apart (after the line nodes), activate edges dashed, variants and
 * activate conditions written in the node. Each node links to its source below the drawing.
 */
export function DagView(props: { nodes: GraphNode[]; edges: GraphEdge[]; problems: Set<string> }) {
  const layout = useMemo(() => {
    const graph = new dagre.graphlib.Graph();
    graph.setGraph({ rankdir: "TB", nodesep: 30, ranksep: 44, marginx: 8, marginy: 8 });
    graph.setDefaultEdgeLabel(() => ({}));
    for (const node of props.nodes) graph.setNode(node.id, { width: WIDTH, height: height(node) });
    for (const edge of props.edges) graph.setEdge(edge.from, edge.to);
    // Aggregation nodes run once after every line: rank them below everything else.
    const aggregations = props.nodes.filter((n) => n.aggregation);
    for (const node of aggregations) graph.setEdge("outputs", node.id, { minlen: 1, weight: 0 });
    dagre.layout(graph);
    const size = graph.graph() as { width?: number; height?: number };
    return { graph, width: size.width ?? 400, height: size.height ?? 200 };
  }, [props.nodes, props.edges]);
  const { graph } = layout;
  const position = (id: string) =>
    graph.node(id) as unknown as { x: number; y: number; width: number; height: number };
  return (
    <figure class="dag">
      <svg
        viewBox={`0 0 ${layout.width} ${layout.height}`}
        width={layout.width}
        height={layout.height}
        role="img"
        aria-label={`Flow graph: ${props.nodes.length - 2} nodes, ${props.edges.length} edges`}
      >
        <defs>
          <marker
            id="arrow"
            viewBox="0 0 10 10"
            refX="10"
            refY="5"
            markerWidth="7"
            markerHeight="7"
            orient="auto"
          >
            <path d="M0,0 L10,5 L0,10 z" fill="#475467" />
          </marker>
        </defs>
        {props.edges.map((edge) => {
          const points =
            (graph.edge(edge.from, edge.to) as { points?: { x: number; y: number }[] } | undefined)?.points ??
            [];
          const d = points.map((p, i) => `${i === 0 ? "M" : "L"}${p.x},${p.y}`).join(" ");
          return (
            <path
              key={`${edge.from}-${edge.to}-${edge.kind}`}
              d={d}
              class={`edge edge-${edge.kind}`}
              marker-end="url(#arrow)"
            />
          );
        })}
        {props.nodes.map((node) => {
          const p = position(node.id);
          const x = p.x - p.width / 2;
          const y = p.y - p.height / 2;
          const classes = [
            "dag-node",
            `dag-${node.kind}`,
            node.aggregation ? "dag-aggregation" : "",
            props.problems.has(node.id) ? "dag-problem" : "",
          ].join(" ");
          const lines = [
            node.kind === "node"
              ? `${node.type ?? "?"}${node.aggregation ? " · aggregation" : ""}`
              : node.kind === "inputs"
                ? "flow inputs"
                : "flow outputs",
            ...(node.variants ? [`variants: ${node.variants.join(", ")}`] : []),
            ...(node.activate ? [`when ${node.activate.when} is ${node.activate.is}`] : []),
          ];
          return (
            <g key={node.id} class={classes} transform={`translate(${x},${y})`}>
              <title>{node.id}</title>
              <rect width={p.width} height={p.height} rx={node.kind === "node" ? 6 : 20} />
              <text x={10} y={19} class="dag-name">
                {node.kind === "node" ? node.id : node.kind}
              </text>
              {lines.map((line, i) => (
                <text key={line} x={10} y={36 + i * 16} class="dag-detail">
                  {line.length > 30 ? `${line.slice(0, 29)}…` : line}
                </text>
              ))}
            </g>
          );
        })}
      </svg>
    </figure>
  );
}
