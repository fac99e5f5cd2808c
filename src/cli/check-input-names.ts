import { InputError } from "../core/errors.js";
import { didYouMean, listNames } from "../core/suggest-name.js";

/**
 * `--inputs` names the flow does not declare are an error (exit 2), not silently ignored: a typo would
 * otherwise run the defaults. The message names each unknown key, the likely intended one, and the
 * flow's inputs.
 */
export function checkInputNames(
  given: Record<string, unknown>,
  declared: Iterable<string>,
  file: string,
): void {
  // Only a flow.dag.yaml declares its inputs outright; a flex entry's or a prompty's are read from a
  // signature or front matter that may take more (**kwargs, template variables), so they are not judged.
  if (!/\.dag\.ya?ml$/i.test(file)) return;
  const known = [...declared];
  const unknown = Object.keys(given).filter((name) => !known.includes(name));
  if (unknown.length === 0) return;
  const each = unknown.map((name) => `'${name}'.${didYouMean(name, known)}`).join(" ");
  throw new InputError(
    "UnknownInput",
    `--inputs: the flow has no input ${each} Its inputs are: ${listNames(known)} (${file}).`,
    { field: unknown[0]!, location: { file } },
  );
}
