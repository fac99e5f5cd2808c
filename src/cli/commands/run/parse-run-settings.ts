import { UserError } from "../../../core/errors.js";
import type { ConnectionLimits } from "../../../runs/index.js";
import { parseKeyValues } from "../../parse-key-values.js";
import { parsePositiveInt } from "../../parse-positive-int.js";

/** What `run create --set` configures: per-connection rate limits and run tags. */
export interface RunSettings {
  limits: Record<string, ConnectionLimits>;
  tags: Record<string, string>;
}

/** `--set connections.NAME.rpm=N`, `connections.NAME.tpm=N` and `tags.KEY=VALUE` pairs. */
export function parseRunSettings(pairs: string[] | undefined): RunSettings {
  const limits: Record<string, ConnectionLimits> = {};
  const tags: Record<string, string> = {};
  for (const [key, value] of Object.entries(parseKeyValues(pairs, "--set"))) {
    const limit = /^connections\.(.+)\.(rpm|tpm)$/.exec(key);
    if (limit) {
      const n = parsePositiveInt(value, `--set ${key}`);
      limits[limit[1]!] = { ...limits[limit[1]!], [limit[2] as "rpm" | "tpm"]: n };
    } else if (key.startsWith("tags.") && key.length > 5) {
      tags[key.slice(5)] = value;
    } else {
      throw new UserError(
        "InvalidArgument",
        `--set ${key}: use connections.NAME.rpm=N, connections.NAME.tpm=N or tags.KEY=VALUE.`,
        { field: "--set" },
      );
    }
  }
  return { limits, tags };
}
