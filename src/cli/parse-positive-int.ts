import { UserError } from "../core/errors.js";

/** A whole number >= 1 from an option, or a UserError naming the option. */
export function parsePositiveInt(value: string, option: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new UserError("InvalidArgument", `${option} '${value}': give a whole number of 1 or more.`, {
      field: option,
    });
  return n;
}
