// Types only: the studio UI bundle imports these types too.
import type { Diagnostic } from "../../core/errors.js";
import type { FlowInputDefinition } from "../../core/flow-definition.js";
import type { FlowGraph } from "./flow-graph-types.js";

export interface FlowSummary {
  name: string;
  description?: string;
  chat: boolean;
  problems: number;
}

export interface NodeSourceView {
  /** The node, or `node (variant_1)` for a variant. */
  node: string;
  variant?: string;
  type?: string;
  file?: string;
  /** The template or code, truncated to MAX_SOURCE_BYTES. */
  text?: string;
  truncated?: boolean;
  language: "jinja" | "typescript" | "python" | "text";
}

export interface FlowDetail extends FlowSummary {
  inputs: Record<string, FlowInputDefinition>;
  outputs: Record<string, { type?: string; reference: string; is_chat_output?: boolean }>;
  graph?: FlowGraph;
  sources: NodeSourceView[];
  /** Variant references the run form offers (`${node.variant_id}`), the defaults first. */
  variants: string[];
  /** Every validation problem, with the YAML line and the node or field it is at. */
  diagnostics: Diagnostic[];
  /** flow.dag.yaml itself, so problems can be shown at their line. */
  yaml?: string;
  chatInput?: string;
  chatHistory?: string;
  chatOutput?: string;
}
