// Types only, no imports: the studio UI bundle imports this type too.

/** One experiment file as the experiments list shows it. */
export interface ExperimentSummary {
  /** The file's name without `.yaml` (the page's address). */
  id: string;
  name?: string;
  description?: string;
  /** Why the file cannot be read, when it cannot. */
  problem?: string;
}
