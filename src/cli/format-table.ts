/** Left-aligned columns separated by two spaces, a rule under the header; long cells are cut. */
export function formatTable(rows: string[][], maxWidth = 60): string {
  const cut = rows.map((row) =>
    row.map((c) => (c.length > maxWidth ? `${c.slice(0, maxWidth - 1)}…` : c).replace(/\s*\n\s*/g, " ")),
  );
  const widths = cut[0]!.map((_, i) => Math.max(...cut.map((row) => (row[i] ?? "").length)));
  const line = (row: string[]) =>
    row
      .map((c, i) => c.padEnd(widths[i]!))
      .join("  ")
      .trimEnd();
  const [header, ...body] = cut;
  return `${[line(header!), widths.map((w) => "-".repeat(w)).join("  "), ...body.map(line)].join("\n")}\n`;
}
