/**
 * Turns the model's comma-separated answer into a list of entities: split on commas, trim spaces,
 * tabs, dots and quotes, drop empty parts and repeats (case-insensitive, first spelling kept).
 * "None" (the prompt's answer for no entity) becomes an empty list.
 */
export default function cleansing({ entities_str }: { entities_str: string | null | undefined }): string[] {
  const seen = new Set<string>();
  const entities: string[] = [];
  for (const part of String(entities_str ?? "").split(",")) {
    const entity = part.replace(/^[\s."'`]+|[\s."'`]+$/g, "");
    const key = entity.toLowerCase();
    if (entity.length === 0 || key === "none" || seen.has(key)) continue;
    seen.add(key);
    entities.push(entity);
  }
  return entities;
}
