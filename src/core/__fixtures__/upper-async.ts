export default async function upper({ text }: { text: string }): Promise<{ text: string; length: number }> {
  await new Promise((resolve) => setTimeout(resolve, 1));
  return { text: text.toUpperCase(), length: text.length };
}
