import type { JSX } from "preact";
import { useState } from "preact/hooks";
import type { FlowInputDefinition as FlowInput } from "../../../core/flow-definition.js";
import { VariantSelect } from "./variant-select.js";

/** The most bytes an uploaded image may have (it travels base64 in the JSON body). */
const MAX_IMAGE_BYTES = 4 * 1024 * 1024;

function initial(input: FlowInput): string | boolean {
  if (input.type === "bool") return input.default === true;
  if (input.default === undefined) return input.type === "list" ? "[]" : input.type === "object" ? "{}" : "";
  return typeof input.default === "string" ? input.default : JSON.stringify(input.default, null, 2);
}

/** Turns the form's text back into the input's type; throws a message naming the field. */
function parseValue(name: string, input: FlowInput, value: string | boolean): unknown {
  if (input.type === "bool") return value === true;
  const text = String(value);
  if (input.type === "int" || input.type === "double") {
    if (text.trim() === "") return undefined;
    const number = Number(text);
    if (!Number.isFinite(number) || (input.type === "int" && !Number.isInteger(number)))
      throw new Error(`${name} must be ${input.type === "int" ? "a whole number" : "a number"}.`);
    return number;
  }
  if (input.type === "list" || input.type === "object") {
    try {
      const parsed = JSON.parse(text) as unknown;
      if (input.type === "list" && !Array.isArray(parsed)) throw new Error();
      if (input.type === "object" && (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)))
        throw new Error();
      return parsed;
    } catch {
      throw new Error(
        `${name} must be a JSON ${input.type === "list" ? "list, like [1, 2]" : 'object, like {"a": 1}'}.`,
      );
    }
  }
  return text;
}

async function readImage(file: File): Promise<Record<string, string>> {
  if (file.size > MAX_IMAGE_BYTES) throw new Error(`${file.name} is larger than 4 MB.`);
  const data = await new Promise<string>((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(new Error(`${file.name} could not be read.`));
    reader.readAsDataURL(file);
  });
  const match = /^data:([^;]+);base64,(.*)$/.exec(data);
  if (!match) throw new Error(`${file.name} could not be read.`);
  return { [`data:${match[1]};base64`]: match[2]! };
}

/**
 * The run form: one labelled, typed field per flow input (text, whole number, number, checkbox, JSON
 * list/object, image upload), the variant picker and the Run button.
 */
export function RunForm(props: {
  inputs: Record<string, FlowInput>;
  variants: string[];
  busy: boolean;
  onRun: (inputs: Record<string, unknown>, variant: string | undefined) => void;
}) {
  const [values, setValues] = useState<Record<string, string | boolean>>(() =>
    Object.fromEntries(Object.entries(props.inputs).map(([name, input]) => [name, initial(input)])),
  );
  const [files, setFiles] = useState<Record<string, File | undefined>>({});
  const [variant, setVariant] = useState("");
  const [error, setError] = useState<string | undefined>();
  const set = (name: string, value: string | boolean) => setValues((v) => ({ ...v, [name]: value }));

  const submit = async (event: Event) => {
    event.preventDefault();
    setError(undefined);
    try {
      const inputs: Record<string, unknown> = {};
      for (const [name, input] of Object.entries(props.inputs)) {
        if (input.type === "image") {
          const file = files[name];
          if (file) inputs[name] = await readImage(file);
          continue;
        }
        const value = parseValue(name, input, values[name] ?? "");
        if (value !== undefined) inputs[name] = value;
      }
      props.onRun(inputs, variant || undefined);
    } catch (problem) {
      setError((problem as Error).message);
    }
  };

  return (
    <form class="run-form" onSubmit={submit}>
      {Object.entries(props.inputs).map(([name, input]) => {
        const id = `input-${name}`;
        const hint = `${input.type}${input.description ? ` · ${input.description}` : ""}`;
        const value = values[name];
        let field: JSX.Element;
        if (input.type === "bool")
          field = (
            <input
              id={id}
              type="checkbox"
              checked={value === true}
              onChange={(e) => set(name, (e.target as HTMLInputElement).checked)}
            />
          );
        else if (input.type === "int" || input.type === "double")
          field = (
            <input
              id={id}
              type="number"
              step={input.type === "int" ? 1 : "any"}
              value={String(value)}
              onInput={(e) => set(name, (e.target as HTMLInputElement).value)}
            />
          );
        else if (input.type === "image")
          field = (
            <input
              id={id}
              type="file"
              accept="image/*"
              onChange={(e) => setFiles((f) => ({ ...f, [name]: (e.target as HTMLInputElement).files?.[0] }))}
            />
          );
        else if (input.type === "list" || input.type === "object" || String(value).length > 60)
          field = (
            <textarea
              id={id}
              rows={3}
              value={String(value)}
              onInput={(e) => set(name, (e.target as HTMLTextAreaElement).value)}
            />
          );
        else
          field = (
            <input
              id={id}
              type="text"
              value={String(value)}
              onInput={(e) => set(name, (e.target as HTMLInputElement).value)}
            />
          );
        return (
          <div class="field" key={name}>
            <label for={id}>{name}</label>
            {field}
            <span class="hint">{hint}</span>
          </div>
        );
      })}
      <VariantSelect
        id="variant"
        label="Variant"
        variants={props.variants}
        value={variant}
        onChange={setVariant}
      />
      {error ? (
        <p class="problem" role="alert">
          {error}
        </p>
      ) : null}
      <button type="submit" class="primary" disabled={props.busy}>
        Run
      </button>
    </form>
  );
}
