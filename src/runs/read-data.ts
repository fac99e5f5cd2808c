import { createReadStream } from "node:fs";
import { readdir, stat } from "node:fs/promises";
import { extname, join } from "node:path";
import { createInterface } from "node:readline";
import { pipeline } from "node:stream/promises";
import { CsvError, parse as parseCsv } from "csv-parse";
import streamArray from "stream-json/streamers/stream-array.js";
import { UserError } from "../core/errors.js";

/** One row of a data set: its 0-based line number across the whole set, and where it came from. */
export interface DataRow {
  line_number: number;
  row: Record<string, unknown>;
  source: { file: string; line?: number };
}

/** A data file (or a row in it) that cannot be read. */
export class DataError extends UserError {}

export const DATA_EXTENSIONS = [".jsonl", ".csv", ".tsv", ".json"] as const;

/**
 * Streams the rows of a `.jsonl`, `.csv`, `.tsv` or `.json` (array) file, or of every such file in a
 * folder (by file name, line numbers running on across files). Rows are read incrementally: memory
 * does not grow with the data. A bad row stops the read with a DataError naming file and line.
 */
export async function* readData(path: string): AsyncGenerator<DataRow> {
  const info = await stat(path).catch((cause: unknown) => {
    throw new DataError("DataNotFound", `Cannot read the data at '${path}': it does not exist.`, {
      cause,
      location: { file: path },
    });
  });
  const files = info.isDirectory() ? await dataFilesIn(path) : [path];
  let lineNumber = 0;
  for (const file of files) {
    for await (const item of readFile(file)) {
      yield { line_number: lineNumber++, row: item.row, source: { file, line: item.line } };
    }
  }
}

async function dataFilesIn(folder: string): Promise<string[]> {
  const names = (await readdir(folder)).filter(
    (name) =>
      !name.startsWith(".") && (DATA_EXTENSIONS as readonly string[]).includes(extname(name).toLowerCase()),
  );
  if (names.length === 0) {
    throw new DataError(
      "DataNotFound",
      `The data folder '${folder}' holds no ${DATA_EXTENSIONS.join(", ")} files. Point --data at a file or a folder of them.`,
      { location: { file: folder } },
    );
  }
  return names.sort().map((name) => join(folder, name));
}

type FileRow = { row: Record<string, unknown>; line?: number };

function readFile(file: string): AsyncGenerator<FileRow> {
  switch (extname(file).toLowerCase()) {
    case ".jsonl":
      return readJsonLines(file);
    case ".csv":
      return readDelimited(file, ",");
    case ".tsv":
      return readDelimited(file, "\t");
    case ".json":
      return readJsonArray(file);
    default:
      throw new DataError(
        "UnsupportedDataFormat",
        `Cannot read '${file}': data files must end in ${DATA_EXTENSIONS.join(", ")}.`,
        { location: { file } },
      );
  }
}

async function* readJsonLines(file: string): AsyncGenerator<FileRow> {
  const lines = createInterface({
    input: createReadStream(file, "utf8"),
    crlfDelay: Number.POSITIVE_INFINITY,
  });
  let line = 0;
  for await (const text of lines) {
    line++;
    if (text.trim() === "") continue;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (cause) {
      throw new DataError(
        "BadDataRow",
        `${file}:${line}: not valid JSON (${(cause as Error).message}). Each line of a .jsonl file must be one JSON object.`,
        { cause, location: { file, line } },
      );
    }
    yield { row: asRow(value, file, line), line };
  }
}

async function* readDelimited(file: string, delimiter: string): AsyncGenerator<FileRow> {
  const parser = parseCsv({ columns: true, delimiter, bom: true, info: true, skip_empty_lines: true });
  const feeding = pipeline(createReadStream(file), parser).catch(() => {
    // errors surface through the parser's iterator below
  });
  try {
    for await (const { record, info } of parser as AsyncIterable<{
      record: Record<string, string>;
      info: { lines: number };
    }>) {
      yield { row: record, line: info.lines };
    }
  } catch (cause) {
    if (cause instanceof CsvError) {
      const line = (cause as CsvError & { lines?: number }).lines;
      throw new DataError("BadDataRow", `${file}:${line ?? "?"}: ${cause.message}`, {
        cause,
        location: { file, ...(line ? { line } : {}) },
      });
    }
    throw new DataError("DataUnreadable", `Cannot read '${file}': ${(cause as Error).message}`, {
      cause,
      location: { file },
    });
  } finally {
    parser.destroy();
    await feeding;
  }
}

async function* readJsonArray(file: string): AsyncGenerator<FileRow> {
  const items = streamArray.withParserAsStream();
  const feeding = pipeline(createReadStream(file), items).catch(() => {
    // errors surface through the iterator below
  });
  let index = -1;
  try {
    for await (const { value } of items as AsyncIterable<{ key: number; value: unknown }>) {
      index++;
      yield { row: asRow(value, file, undefined, index) };
    }
  } catch (cause) {
    if (cause instanceof DataError) throw cause;
    throw new DataError(
      "BadDataRow",
      `${file}: not a valid JSON array of objects after item ${index} (${(cause as Error).message}).`,
      { cause, location: { file } },
    );
  } finally {
    items.destroy();
    await feeding;
  }
}

function asRow(value: unknown, file: string, line?: number, index?: number): Record<string, unknown> {
  if (value !== null && typeof value === "object" && !Array.isArray(value))
    return value as Record<string, unknown>;
  const where = line === undefined ? `${file} item ${index}` : `${file}:${line}`;
  throw new DataError("BadDataRow", `${where}: expected a JSON object (one row with named columns).`, {
    location: { file, ...(line ? { line } : {}) },
  });
}
