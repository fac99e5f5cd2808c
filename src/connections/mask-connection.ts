import type { Connection } from "./connection-schema.js";

export const maskedValue = "******";
const secretFields = ["api_key", "access_key_id", "secret_access_key", "session_token"] as const;

/**
 * A copy of the connection safe to show or list: every secret (`api_key`, `secrets.*`, AWS keys)
 * becomes `"******"`. `${env:VAR}` references are kept: they name a variable, not a secret.
 */
export function maskConnection<C extends Connection>(connection: C): C {
  const masked: Record<string, unknown> = { ...connection };
  for (const field of secretFields) {
    const value = masked[field];
    if (typeof value === "string" && value !== "") masked[field] = maskValue(value);
  }
  if (connection.type === "custom") {
    masked["secrets"] = Object.fromEntries(
      Object.entries(connection.secrets).map(([key, value]) => [key, maskValue(value)]),
    );
  }
  return masked as C;
}

/** The secret values of a connection (resolved or not), for scrubbing text. */
export function secretValues(connection: Connection): string[] {
  const record = connection as Record<string, unknown>;
  const values = secretFields.map((field) => record[field]).filter((v): v is string => typeof v === "string");
  if (connection.type === "custom") values.push(...Object.values(connection.secrets));
  return values.filter((v) => v.length > 0);
}

function maskValue(value: string): string {
  return /^\$\{env:[A-Za-z_][A-Za-z0-9_]*\}$/.test(value) ? value : maskedValue;
}
