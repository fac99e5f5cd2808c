// Types only, no imports: the studio UI bundle imports these types too.

/** One box of the DAG the studio draws. `inputs` and `outputs` are the flow's own ends. */
export interface GraphNode {
  id: string;
  kind: "inputs" | "outputs" | "node";
  type?: string;
  /** The source file (template or code), relative to the flow folder. */
  source?: string;
  tool?: string;
  aggregation?: boolean;
  /** `when` and `is` of an activate condition, as written. */
  activate?: { when: string; is: string };
  /** Variant ids, the default first, for nodes with `use_variants`. */
  variants?: string[];
  defaultVariant?: string;
  /** 1-based line of the node in flow.dag.yaml. */
  line?: number;
}

export interface GraphEdge {
  from: string;
  to: string;
  /** `activate` for an edge that only gates the node (its activate condition). */
  kind: "data" | "activate";
}

export interface FlowGraph {
  nodes: GraphNode[];
  edges: GraphEdge[];
}
