import { type Connection, secretFields, secretValues } from "./connection-schema.js";

export { secretValues };

export const maskedValue = "******";

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

function maskValue(value: string): string {
  return /^\$\{env:[A-Za-z_][A-Za-z0-9_]*\}$/.test(value) ? value : maskedValue;
}
