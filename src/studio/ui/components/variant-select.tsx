/** The variant picker of the run form and the chat: nothing when the flow has no variants. */
export function VariantSelect(props: {
  id: string;
  label: string;
  variants: string[];
  value: string;
  onChange: (value: string) => void;
}) {
  if (props.variants.length === 0) return null;
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      <select
        id={props.id}
        value={props.value}
        onChange={(e) => props.onChange((e.target as HTMLSelectElement).value)}
      >
        <option value="">Default variants</option>
        {props.variants.map((v) => (
          <option key={v} value={v}>
            {v}
          </option>
        ))}
      </select>
    </div>
  );
}
