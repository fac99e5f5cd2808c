export default function add({ a, b }: { a: number; b: number }): number {
  return a + b;
}
