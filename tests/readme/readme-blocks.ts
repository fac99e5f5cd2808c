/**
 * Reads README.md's code blocks into the commands the README tells a user to type, and turns them into
 * one bash script that runs them in order, verbatim, stopping at the first that fails with a message
 * naming the block, its README line and the command.
 *
 * The rule for what runs:
 * - every ```sh / ```bash / ```shell block, command by command (a command is a line plus its
 *   backslash-continued lines; comment-only lines are skipped; comments after a command stay, bash
 *   ignores them), in the same shell, so `export` and `run=$(...)` carry over as they do for a user;
 * - every ```ts block, written to `.flowops/tour/readme-block-<n>.mts` (where the README says to save
 *   it) and run with `npx tsx`;
 * - except the set-up commands `npm ci`, `npm install`, `npm start` and `npm test`: they install and
 *   build (the test runs on the checkout's installed node_modules and built dist/), and `npm start`
 *   serves until stopped. They are listed as skipped, never silently dropped.
 */
export interface ReadmeCommand {
  /** 1-based index of the code block in README.md. */
  block: number;
  /** README.md line where the command starts. */
  line: number;
  /** The command as written (continuation lines joined with their backslash-newlines kept). */
  text: string;
  /** For a ts block: the file the script writes it to before running it. */
  file?: { path: string; content: string };
  /** Why the command is not run (the set-up rule), else undefined. */
  skipped?: string;
}

const SHELL = new Set(["sh", "bash", "shell", "console"]);
const TYPESCRIPT = new Set(["ts", "typescript"]);
const SETUP = /^npm\s+(ci|install|i|start|test)\b/;

export function readmeCommands(markdown: string): ReadmeCommand[] {
  const lines = markdown.split("\n");
  const commands: ReadmeCommand[] = [];
  let block = 0;
  for (let i = 0; i < lines.length; i++) {
    const fence = /^```(\w*)\s*$/.exec(lines[i]!);
    if (!fence) continue;
    const language = fence[1]!.toLowerCase();
    const start = i + 1;
    let end = start;
    while (end < lines.length && !/^```\s*$/.test(lines[end]!)) end++;
    block++;
    const body = lines.slice(start, end);
    if (SHELL.has(language)) commands.push(...shellCommands(body, block, start + 1));
    else if (TYPESCRIPT.has(language)) {
      const path = `.flowops/tour/readme-block-${block}.mts`;
      commands.push({
        block,
        line: start + 1,
        text: `npx tsx ${path}`,
        file: { path, content: `${body.join("\n")}\n` },
      });
    }
    i = end;
  }
  return commands;
}

function shellCommands(body: string[], block: number, firstLine: number): ReadmeCommand[] {
  const commands: ReadmeCommand[] = [];
  for (let i = 0; i < body.length; i++) {
    const line = body[i]!;
    if (line.trim() === "" || line.trim().startsWith("#")) continue;
    const start = i;
    const parts = [line];
    while (/\\$/.test(body[i]!) && i + 1 < body.length) parts.push(body[++i]!);
    const text = parts.join("\n");
    const setup = SETUP.exec(text.trim());
    commands.push({
      block,
      line: firstLine + start,
      text,
      ...(setup ? { skipped: `set-up command 'npm ${setup[1]}' (see the rule in readme-blocks.ts)` } : {}),
    });
  }
  return commands;
}

/** Single-quotes a string for bash. */
function quote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/**
 * The bash script: each command echoed (as `$ command`) to stderr, run, and checked; the first failure
 * prints `README.md block B, line L: exit N: command` to stderr and exits 97. Background jobs the
 * README starts (`flow serve ... &`) are killed at the end.
 */
export function readmeScript(commands: ReadmeCommand[]): string {
  const out = ["cleanup() { for job in $(jobs -p); do kill $job 2>/dev/null; done; }", "trap cleanup EXIT"];
  for (const command of commands) {
    if (command.skipped) continue;
    const where = `README.md block ${command.block}, line ${command.line}`;
    out.push(`printf '\\n$ %s\\n' ${quote(command.text)} >&2`);
    out.push(command.text);
    out.push(
      `__rc=$?; if [ "$__rc" -ne 0 ]; then printf '%s\\n' "FAILED ${where}: exit $__rc: "${quote(command.text)} >&2; exit 97; fi`,
    );
  }
  out.push("exit 0");
  return `${out.join("\n")}\n`;
}
