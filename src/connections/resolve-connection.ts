import { UserError } from "../core/errors.js";
import { registerSecrets } from "../secrets/index.js";
import { type Connection, secretValues } from "./connection-schema.js";

const envReference = /\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}/g;

/**
 * Replaces `${env:VAR}` in every string field with the variable's value, at use time. A missing
 * variable is an error naming the connection, the field and the variable.
 */
export function resolveConnection<C extends Connection>(
  connection: C,
  env: NodeJS.ProcessEnv = process.env,
): C {
  const resolve = (value: unknown, field: string): unknown => {
    if (typeof value === "string") {
      return value.replace(envReference, (_match, variable: string) => {
        const found = env[variable];
        if (found === undefined) {
          throw new UserError(
            "ConnectionEnvironmentVariableMissing",
            `Connection '${connection.name}' field '${field}' refers to \${env:${variable}}, which is not set: set ${variable} in the environment.`,
            { field },
          );
        }
        return found;
      });
    }
    if (value && typeof value === "object" && !Array.isArray(value)) {
      return Object.fromEntries(
        Object.entries(value).map(([key, inner]) => [key, resolve(inner, field ? `${field}.${key}` : key)]),
      );
    }
    return value;
  };
  const resolved = resolve(connection, "") as C;
  // `${env:VAR}` references resolve to the secrets themselves: register those values too.
  registerSecrets(secretValues(resolved));
  return resolved;
}
