import { UserError } from "../core/errors.js";

/**
 * Parses `key=value` command-line pairs (`--inputs text="a b" n=3`) into an object of strings. Values keep
 * everything after the first `=`; the engine coerces them to the declared input types.
 */
export function parseKeyValues(pairs: readonly string[] | undefined, option: string): Record<string, string> {
  const values: Record<string, string> = {};
  for (const pair of pairs ?? []) {
    const at = pair.indexOf("=");
    if (at <= 0) {
      throw new UserError(
        "InvalidArgument",
        `${option} '${pair}': write each value as key=value (e.g. ${option} text="hello").`,
        {
          field: option,
        },
      );
    }
    values[pair.slice(0, at).trim()] = pair.slice(at + 1);
  }
  return values;
}
