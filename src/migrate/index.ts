export { checkMigration, type FlowMigrationReport, type MigrationStatus } from "./check-migration.js";
export { type ConvertedFile, type ConvertPipelineOptions, convertPipeline } from "./convert-pipeline.js";
export { findFlows } from "./find-flows.js";
export { formatMigrationReport } from "./format-migration-report.js";
export { inspectPython, type PythonFileFacts } from "./inspect-python.js";
export { type MigrateNodeOptions, migrateNode } from "./migrate-node.js";
export { expression as pythonExpressionToTypescript, translatePythonBody } from "./python-to-typescript.js";
