import {
  type DefaultConnectionArguments,
  type ResolveCursorConnectionArgs,
  resolveCursorConnection,
} from "@pothos/plugin-relay";
import { InvalidInputError } from "../errors.ts";

/** Opaque pagination cursors: base64url of a JSON array of the sort key's values. */
export function encodeCursor(values: readonly unknown[]): string {
  return Buffer.from(JSON.stringify(values)).toString("base64url");
}

export function decodeCursor(cursor: string | undefined): unknown[] | undefined {
  if (!cursor) return undefined;
  try {
    const values = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (Array.isArray(values)) return values;
  } catch {
    // Reported below with the cursor's value.
  }
  throw new InvalidInputError(
    "after",
    `Invalid cursor ${JSON.stringify(cursor)}; pass a cursor from a previous page.`,
  );
}

/** Keyset pagination for a Relay connection; `load` receives the decoded bounds. */
export function cursorConnection<T>(
  args: DefaultConnectionArguments,
  toCursor: (node: T) => string,
  load: (params: ResolveCursorConnectionArgs) => Promise<T[]>,
) {
  return resolveCursorConnection<Promise<T[]>>(
    { args, toCursor, defaultSize: 20, maxSize: 200 },
    load,
  );
}
