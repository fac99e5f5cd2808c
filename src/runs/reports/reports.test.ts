import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SqliteRunStore } from "../../stores/local/sqlite-run-store.js";
import type { RunRecord } from "../../stores/run-store.js";
import { canonical } from "./collect-report-data.js";
import { reportInputForRuns } from "./report-input-for-runs.js";
import { toCsv } from "./write-csv.js";
import { writeReport } from "./write-report.js";

const usage = { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 };

describe("reports", () => {
  let dir: string;
  let store: SqliteRunStore;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "flowops-report-"));
    store = new SqliteRunStore({ file: path.join(dir, "runs.db") });
  });
  afterEach(() => store.close());

  async function run(
    name: string,
    extra: Partial<RunRecord>,
    lines: { outputs?: Record<string, unknown>; error?: string }[],
  ) {
    const now = new Date().toISOString();
    await store.createRun({
      name,
      status: "Completed",
      flow: "/flows/f",
      data: "/data/qa.jsonl",
      created_on: now,
      usage,
      lines: { total: lines.length, completed: lines.length, failed: 0 },
      ...extra,
    });
    for (const [i, line] of lines.entries()) {
      await store.putLine({
        run: name,
        line_number: i,
        inputs: { question: `q${i} <b>bold</b>` },
        start_time: now,
        end_time: now,
        ...(line.error
          ? { status: "Failed", error: { code: "NodeFailed", message: line.error } }
          : { status: "Completed", outputs: line.outputs! }),
      });
    }
  }

  it("writes metrics.csv, lines.csv and a self-contained, escaped report.html for chosen runs", async () => {
    await run("a", {}, [
      { outputs: { answer: "x", meta: { k: 1, j: 2 } } },
      { outputs: { answer: 'say "hi", then\nbye' } },
    ]);
    await run("b", {}, [
      { outputs: { meta: { j: 2, k: 1 }, answer: "x" } },
      { error: "boom </script><script>alert(1)</script>" },
    ]);
    await run("a-eval", { run: "a", tags: { evaluator: "match" }, metrics: { exact_match_rate: 0.5 } }, [
      { outputs: { score: 1 } },
      { outputs: { score: 0 } },
    ]);
    await run("b-eval", { run: "b", tags: { evaluator: "match" }, metrics: { exact_match_rate: 1 } }, [
      { outputs: { score: 1 } },
    ]);

    const input = await reportInputForRuns(store, ["a", "b"]);
    expect(input.runs).toEqual([
      { name: "a", dataset: "qa", variant: "a" },
      { name: "b", dataset: "qa", variant: "b" },
    ]);
    const files = await writeReport(input, { store, output: path.join(dir, "out") });

    expect(await readFile(files.metricsCsv, "utf8")).toBe(
      "experiment,dataset,variant,evaluator,metric,value,run\r\n,qa,a,match,exact_match_rate,0.5,a-eval\r\n,qa,b,match,exact_match_rate,1,b-eval\r\n",
    );
    const lines = await readFile(files.linesCsv, "utf8");
    expect(lines.split("\r\n")[0]).toBe(
      "experiment,dataset,variant,run,line_number,status,inputs,outputs,error,match.score,variants_disagree",
    );
    // line 0: same outputs (key order aside) and scores → agree; line 1: one failed → disagree.
    expect(lines).toContain(
      ',qa,a,a,0,Completed,"{""question"":""q0 <b>bold</b>""}","{""answer"":""x"",""meta"":{""k"":1,""j"":2}}",,1,false\r\n',
    );
    expect(lines).toContain('"{""answer"":""say \\""hi\\"", then\\nbye""}",,0,true\r\n');
    expect(lines).toContain(",qa,b,b,1,Failed,");

    const html = await readFile(files.reportHtml, "utf8");
    expect(html).not.toContain("<script>alert(1)");
    expect(html).toContain("boom &#60;/script&#62;&#60;script&#62;alert(1)&#60;/script&#62;");
    expect(html).toContain("q0 &#60;b&#62;bold&#60;/b&#62;");
    expect(html.match(/<tr class="line disagree">/g)).toHaveLength(1);
    expect(html).toContain("1 of 2 lines differ between runs");
    expect(html).not.toContain("<th>Variant</th>");
    expect(html).not.toMatch(/<(script|link|img)[^>]+(src|href)=["']?https?:/i);
  });

  it("a one-run report has no Variant column and no 'lines differ' note or filter", async () => {
    await run("solo", {}, [{ outputs: { answer: "x" } }, { outputs: { answer: "y" } }]);
    const files = await writeReport(await reportInputForRuns(store, ["solo"]), {
      store,
      output: path.join(dir, "solo"),
    });
    const html = await readFile(files.reportHtml, "utf8");
    expect(html).toContain("<p>2 lines.</p>");
    expect(html).not.toContain("Variant");
    expect(html).not.toContain("differ");
    expect(html).not.toContain('id="only-disagree"');
  });

  it("names a missing run", async () => {
    await expect(reportInputForRuns(store, ["nope"])).rejects.toThrow(/no run named 'nope'/);
  });

  it("quotes CSV fields that need it and compares values whatever their key order", () => {
    expect(
      toCsv(
        ["a", "b"],
        [
          ["x,y", 'say "hi"'],
          [null, { k: 1 }],
        ],
      ),
    ).toBe('a,b\r\n"x,y","say ""hi"""\r\n,"{""k"":1}"\r\n');
    expect(canonical({ b: 1, a: { d: 2, c: [3, { f: 1, e: 0 }] } })).toBe(
      canonical({ a: { c: [3, { e: 0, f: 1 }], d: 2 }, b: 1 }),
    );
  });
});
