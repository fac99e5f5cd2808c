import { isSecretFieldName } from "../core/secret-field-name.js";

/** Words that make a variable or key name a secret's name (`AZURE_OPENAI_API_KEY`, `DB_PASSWORD`...). */
const SECRET_WORDS = new Set([
  "KEY",
  "KEYS",
  "APIKEY",
  "ACCESSKEY",
  "ACCOUNTKEY",
  "SECRET",
  "SECRETS",
  "PASSWORD",
  "PASSWD",
  "TOKEN",
  "TOKENS",
  "CREDENTIAL",
  "CREDENTIALS",
  "SAS",
  "CONNECTIONSTRING",
]);

/** A last word that makes the name describe a secret rather than hold one (`KEY_VAULT_NAME`, `AWS_ACCESS_KEY_ID`). */
const NOT_SECRET_LAST = new Set([
  "NAME",
  "URL",
  "URI",
  "ENDPOINT",
  "ID",
  "PATH",
  "FILE",
  "VERSION",
  "TYPE",
  "REGION",
  "HOST",
  "PORT",
  "MODE",
]);

/** Connection-string parts that hold secrets (`AccountKey=...;`). */
const SECRET_PARTS =
  /(?:^|;)\s*(AccountKey|SharedAccessKey|SharedAccessSignature|Password|Pwd|sig)=([^;]+)/gi;

/**
 * Whether an environment variable (or app setting) holds a secret, judged by its name:
 * `FLOWOPS_CONNECTION_*`, `AzureWebJobsStorage`, and names with a word such as KEY, SECRET, PASSWORD,
 * TOKEN, CREDENTIAL or CONNECTION_STRING (`AZURE_OPENAI_API_KEY`, `COSMOS_CONNECTION_STRING`,
 * `GITHUB_TOKEN`), unless the name ends with a describing word (`KEY_VAULT_NAME`, `AWS_ACCESS_KEY_ID`).
 */
export function isSecretVariableName(name: string): boolean {
  const upper = name.toUpperCase();
  if (upper.startsWith("FLOWOPS_CONNECTION_") || upper === "AZUREWEBJOBSSTORAGE") return true;
  const words = upper.split(/[^A-Z0-9]+/).filter((word) => word !== "");
  const last = words.at(-1);
  if (last === undefined || NOT_SECRET_LAST.has(last)) return false;
  if (words.some((word) => SECRET_WORDS.has(word))) return true;
  // CONNECTION_STRING, API_KEY spelt in two words (KEY is a word already), CONNECTIONSTRING in one.
  return upper.includes("CONNECTION_STRING") || upper.includes("CONNECTIONSTRING");
}

/** Whether a value looks like a connection string carrying a secret part (AccountKey=, Password=...). */
export function hasSecretParts(value: string): boolean {
  return new RegExp(SECRET_PARTS.source, "i").test(value);
}

/**
 * The secret values an environment or settings map holds: values of secret-named variables, the secret
 * parts of connection strings (`AccountKey=...`), and the secrets inside `FLOWOPS_CONNECTION_*` JSON.
 */
export function environmentSecretValues(env: Record<string, string | undefined>): string[] {
  const values: string[] = [];
  for (const [name, value] of Object.entries(env)) {
    if (typeof value !== "string" || value === "") continue;
    const secretName = isSecretVariableName(name);
    if (secretName || hasSecretParts(value)) {
      values.push(value, ...secretParts(value));
      if (secretName && name.toUpperCase().startsWith("FLOWOPS_CONNECTION_"))
        values.push(...jsonSecrets(value));
    }
  }
  return values;
}

/**
 * A copy of an environment without the variables that hold secrets (see isSecretVariableName and
 * hasSecretParts): what a child process such as a Python worker gets.
 */
export function withoutSecrets(env: Record<string, string | undefined>): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (typeof value !== "string") continue;
    if (isSecretVariableName(name) || hasSecretParts(value)) continue;
    kept[name] = value;
  }
  return kept;
}

function secretParts(value: string): string[] {
  return [...value.matchAll(SECRET_PARTS)].map((match) => (match[2] ?? "").trim());
}

/** Secret-named fields of a connection given as JSON (`api_key`, everything under `secrets`). */
function jsonSecrets(text: string): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return [];
  }
  const found: string[] = [];
  const walk = (value: unknown, secret: boolean, depth: number): void => {
    if (depth > 6) return;
    if (typeof value === "string") {
      if (secret) found.push(value);
      return;
    }
    if (value && typeof value === "object") {
      for (const [key, inner] of Object.entries(value)) {
        walk(inner, secret || isSecretFieldName(key), depth + 1);
      }
    }
  };
  walk(parsed, false, 0);
  return found;
}

export { isSecretFieldName };
