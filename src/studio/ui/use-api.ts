import { useEffect, useState } from "preact/hooks";
import { getJson } from "./api.js";

export interface Loaded<T> {
  data?: T;
  error?: string;
  loading: boolean;
}

/** Fetches `path` (again whenever it or `refresh` changes); `poll` re-fetches every that many ms. */
export function useApi<T>(
  path: string | undefined,
  options: { poll?: number; refresh?: number } = {},
): Loaded<T> {
  const [state, setState] = useState<Loaded<T>>({ loading: true });
  useEffect(() => {
    if (!path) return;
    const abort = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const load = async (first: boolean) => {
      if (first) setState((s) => ({ ...s, loading: true }));
      try {
        const data = await getJson<T>(path, abort.signal);
        setState({ data, loading: false });
      } catch (error) {
        if (abort.signal.aborted) return;
        setState({ error: (error as Error).message, loading: false });
      }
      if (options.poll && !abort.signal.aborted) timer = setTimeout(() => load(false), options.poll);
    };
    void load(true);
    return () => {
      abort.abort();
      if (timer) clearTimeout(timer);
    };
  }, [path, options.poll, options.refresh]);
  return state;
}
