// Types only, no imports: the studio UI bundle imports this type too.

/** Production metrics of one deployed flow version, from the logged requests. */
export interface VersionMetrics {
  version: string;
  requests: number;
  failed: number;
  failure_rate: number;
  mean_latency_ms: number;
  p95_latency_ms: number;
  mean_tokens: number;
}
