import { environmentSecretValues } from "./environment-secrets.js";

/** What replaces a secret in traces, logs, records and error bodies. */
export const REDACTED = "***";

/** Values shorter than this are not registered: scrubbing them would mangle ordinary text. */
export const MIN_SECRET_LENGTH = 6;

const envReference = /^\$\{env:[A-Za-z_][A-Za-z0-9_]*\}$/;

/**
 * The process-wide set of secret values (connection keys, settings such as storage connection strings):
 * every writer of records, traces, logs and error bodies scrubs them as exact strings. Each value is
 * kept in the forms it may take inside text: as is, URL-encoded and JSON-escaped.
 */
const forms = new Set<string>();
let matcher: RegExp | undefined;
let environmentLoaded = false;

/** Registers secret values (strings shorter than MIN_SECRET_LENGTH and `${env:VAR}` references are skipped). */
export function registerSecrets(values: Iterable<unknown>): void {
  for (const value of values) registerSecret(value);
}

/** Registers one secret value; see registerSecrets. */
export function registerSecret(value: unknown): void {
  if (typeof value !== "string") return;
  for (const candidate of new Set([value, value.trim()])) {
    if (candidate.length < MIN_SECRET_LENGTH || envReference.test(candidate)) continue;
    for (const form of encodedForms(candidate)) {
      if (form.length >= MIN_SECRET_LENGTH && !forms.has(form)) {
        forms.add(form);
        matcher = undefined;
      }
    }
  }
}

/** Registers the secrets found in an environment or settings map (see environmentSecretValues). */
export function registerEnvironmentSecrets(env: Record<string, string | undefined>): void {
  registerSecrets(environmentSecretValues(env));
}

/** Replaces every registered secret value in `text` with `***` (exact strings only, no patterns). */
export function scrubRegisteredSecrets(text: string): string {
  if (!environmentLoaded) {
    // The process environment (Functions app settings, exported keys) is registered on first use, so
    // that no entry point has to remember to.
    environmentLoaded = true;
    registerEnvironmentSecrets(process.env);
  }
  if (forms.size === 0 || text.length < MIN_SECRET_LENGTH) return text;
  matcher ??= new RegExp(
    [...forms]
      .sort((a, b) => b.length - a.length)
      .map(escapeRegExp)
      .join("|"),
    "g",
  );
  return text.replace(matcher, REDACTED);
}

/** How many distinct secret forms are registered (for tests and diagnostics). */
export function registeredSecretCount(): number {
  return forms.size;
}

function encodedForms(value: string): string[] {
  const json = JSON.stringify(value).slice(1, -1);
  let url = value;
  try {
    url = encodeURIComponent(value);
  } catch {
    // lone surrogates cannot be URL-encoded; the raw form is enough
  }
  return [value, json, url, url.replace(/%20/g, "+"), JSON.stringify(json).slice(1, -1)];
}

function escapeRegExp(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|/-]/g, "\\$&");
}
