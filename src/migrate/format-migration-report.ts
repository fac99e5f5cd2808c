import type { FlowMigrationReport } from "./check-migration.js";

const LABEL: Record<FlowMigrationReport["status"], string> = {
  "runs-as-is": "✓ runs as it is",
  "runs-with-requirements": "✓ runs once its python requirements are installed",
  "needs-packages": "✗ needs packages flowops does not provide",
  invalid: "✗ does not validate",
};

/** The human report of `flowops migrate check`. */
export function formatMigrationReport(reports: FlowMigrationReport[]): string {
  if (reports.length === 0)
    return "No promptflow flows found (flow.dag.yaml, flow.flex.yaml or *.prompty).\n";
  const lines: string[] = [];
  for (const report of reports) {
    lines.push(`${report.flow} (${report.kind}): ${LABEL[report.status]}`);
    for (const p of report.missingPackages)
      lines.push(`    needs ${p.name}, used by ${p.neededBy.join(", ")}`);
    const txt = report.requirementsTxt;
    if (txt && txt.install.length > 0)
      lines.push(
        `    ${txt.file}: flowops installs ${txt.install.join(", ")} with pip into one virtual environment per requirements under FLOWOPS_HOME (PIP_INDEX_URL / PIP_FIND_LINKS are honoured)`,
      );
    if (txt && txt.provided.length > 0)
      lines.push(
        `    ${txt.file}: ${txt.provided.join(", ")} not installed: provided by flowops's python worker`,
      );
    if (report.pythonRequirements.length > 0)
      lines.push(`    python packages to install (pip): ${report.pythonRequirements.join(", ")}`);
    for (const problem of report.problems) lines.push(`    problem: ${problem}`);
    if (report.convertibleNodes.length > 0)
      lines.push(
        `    convertible to TypeScript: ${report.convertibleNodes.join(", ")} (flowops migrate node --flow ${report.flow.replace(/[/\\][^/\\]*$/, "") || "."} --node NAME)`,
      );
  }
  const count = (status: FlowMigrationReport["status"]) => reports.filter((r) => r.status === status).length;
  lines.push(
    "",
    `${reports.length} flow${reports.length === 1 ? "" : "s"}: ${count("runs-as-is")} run as they are, ${count("runs-with-requirements")} after installing python requirements, ${count("needs-packages")} need packages, ${count("invalid")} invalid.`,
  );
  return `${lines.join("\n")}\n`;
}
