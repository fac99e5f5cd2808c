/** The HTTP status of a Cosmos DB SDK error (`error.code`: 404, 409, 412...), or undefined. */
export function statusOf(error: unknown): number | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "number" ? code : undefined;
}
