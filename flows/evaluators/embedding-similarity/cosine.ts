/**
 * Cosine similarity of two embedding vectors (from the flow's two `embedding` llm nodes). Null
 * when a vector is missing, empty, of different lengths or all zeros.
 */
export default function cosine({
  groundtruth,
  prediction,
}: {
  groundtruth: unknown;
  prediction: unknown;
}): number | null {
  const a = vector(groundtruth);
  const b = vector(prediction);
  if (!a || !b || a.length !== b.length || a.length === 0) return null;
  let dot = 0;
  let normA = 0;
  let normB = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    normA += a[i]! * a[i]!;
    normB += b[i]! * b[i]!;
  }
  if (normA === 0 || normB === 0) return null;
  return dot / Math.sqrt(normA * normB);
}

/** An embedding as a vector: a list of numbers, or the first of a list of vectors. */
function vector(value: unknown): number[] | undefined {
  if (!Array.isArray(value)) return undefined;
  if (Array.isArray(value[0])) return vector(value[0]);
  return value.every((v) => typeof v === "number") ? (value as number[]) : undefined;
}
