// Types only, no imports: the studio UI bundle imports this type too.

/** One trace as the traces list shows it: its root span (the flow run) summarised. */
export interface TraceSummary {
  trace_id: string;
  name: string;
  flow?: string;
  run_id?: string;
  line_number?: number;
  start_time: string;
  duration_ms: number;
  status: string;
  total_tokens?: number;
}
