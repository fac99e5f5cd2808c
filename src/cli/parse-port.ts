import { InputError } from "../core/errors.js";

/** A TCP port (0 = any free port) from `--port`, or a usage error (exit 2) naming the option. */
export function parsePort(value: string): number {
  const port = /^\d+$/.test(value.trim()) ? Number(value) : Number.NaN;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new InputError(
      "InvalidArgument",
      `--port '${value}' is not a port: give a number from 0 to 65535.`,
      {
        field: "--port",
      },
    );
  }
  return port;
}
