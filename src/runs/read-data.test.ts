import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DataError, readData } from "./read-data.js";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "flowops-data-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

async function rows(path: string) {
  const out = [];
  for await (const row of readData(path)) out.push(row);
  return out;
}

async function failure(path: string): Promise<DataError> {
  try {
    await rows(path);
  } catch (error) {
    expect(error).toBeInstanceOf(DataError);
    return error as DataError;
  }
  throw new Error("expected the read to fail");
}

describe("readData", () => {
  it("reads .jsonl rows with their line numbers, skipping blank lines", async () => {
    const path = file("d.jsonl", '{"q":"a","n":1}\n\n{"q":"b","n":2}\r\n');
    expect(await rows(path)).toEqual([
      { line_number: 0, row: { q: "a", n: 1 }, source: { file: path, line: 1 } },
      { line_number: 1, row: { q: "b", n: 2 }, source: { file: path, line: 3 } },
    ]);
  });

  it("reads .csv with a header, quotes and a BOM, and .tsv", async () => {
    const csv = file("d.csv", '\uFEFFq,answer\n"hello, world",1\nplain,"two\nlines"\n');
    expect((await rows(csv)).map((r) => r.row)).toEqual([
      { q: "hello, world", answer: "1" },
      { q: "plain", answer: "two\nlines" },
    ]);
    const tsv = file("d.tsv", "q\tanswer\nx\ty\n");
    expect(await rows(tsv)).toMatchObject([
      { line_number: 0, row: { q: "x", answer: "y" }, source: { line: 2 } },
    ]);
  });

  it("streams a .json array of objects", async () => {
    const path = file("d.json", JSON.stringify([{ q: "a" }, { q: "b", nested: { x: [1, 2] } }]));
    expect((await rows(path)).map((r) => [r.line_number, r.row])).toEqual([
      [0, { q: "a" }],
      [1, { q: "b", nested: { x: [1, 2] } }],
    ]);
  });

  it("reads a folder of files in name order, numbering lines across files", async () => {
    mkdirSync(join(dir, "set"));
    writeFileSync(join(dir, "set", "b.csv"), "q\nthree\n");
    writeFileSync(join(dir, "set", "a.jsonl"), '{"q":"one"}\n{"q":"two"}\n');
    writeFileSync(join(dir, "set", "notes.txt"), "ignored");
    expect((await rows(join(dir, "set"))).map((r) => [r.line_number, r.row["q"]])).toEqual([
      [0, "one"],
      [1, "two"],
      [2, "three"],
    ]);
  });

  it("names file and line of a bad row", async () => {
    const jsonl = file("bad.jsonl", '{"q":"a"}\n{"q": oops}\n');
    expect((await failure(jsonl)).message).toContain(`${jsonl}:2: not valid JSON`);
    const notObject = file("arr.jsonl", '{"q":"a"}\n[1,2]\n');
    expect((await failure(notObject)).message).toContain(`${notObject}:2: expected a JSON object`);
    const csv = file("bad.csv", "q,a\n1,2\n3,4,5\n");
    const csvError = await failure(csv);
    expect(csvError.message).toContain(`${csv}:3:`);
    expect(csvError.location).toEqual({ file: csv, line: 3 });
    const json = file("bad.json", '[{"q":1}, 7]');
    expect((await failure(json)).message).toContain(`${json} item 1: expected a JSON object`);
    const broken = file("broken.json", '[{"q":1}, {"q":');
    expect((await failure(broken)).message).toContain(broken);
  });

  it("says what is wrong with a missing path, an empty folder or an unknown format", async () => {
    expect((await failure(join(dir, "nope.jsonl"))).code).toBe("DataNotFound");
    mkdirSync(join(dir, "empty"));
    expect((await failure(join(dir, "empty"))).message).toContain("holds no .jsonl, .csv, .tsv, .json files");
    expect((await failure(file("d.xlsx", ""))).code).toBe("UnsupportedDataFormat");
  });

  it("stops reading when the consumer stops early", async () => {
    const path = file("big.jsonl", Array.from({ length: 5000 }, (_, i) => `{"i":${i}}`).join("\n"));
    const seen = [];
    for await (const row of readData(path)) {
      seen.push(row.line_number);
      if (seen.length === 3) break;
    }
    expect(seen).toEqual([0, 1, 2]);
  });
});
