// Types only, no imports: the studio UI bundle imports this type too.

/** One span as the local store keeps it (one JSON object per line), for the run viewer. */
export interface StoredSpan {
  trace_id: string;
  span_id: string;
  parent_span_id?: string;
  name: string;
  /** ISO timestamps. */
  start_time: string;
  end_time: string;
  duration_ms: number;
  /** `UNSET`, `OK` or `ERROR`. */
  status: string;
  status_message?: string;
  attributes: Record<string, unknown>;
  events: { name: string; time: string; attributes?: Record<string, unknown> }[];
}
