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

/** Decodes a cursor whose only key is a row's integer id. */
export function decodeIdCursor(cursor: string | undefined): number | undefined {
  const values = decodeCursor(cursor);
  if (values === undefined) return undefined;
  const [id] = values;
  if (values.length !== 1 || typeof id !== "number" || !Number.isSafeInteger(id) || id < 0) {
    throw new InvalidInputError(
      "after",
      `Invalid cursor ${JSON.stringify(cursor)}; pass a cursor from a previous page.`,
    );
  }
  return id;
}

/** Decodes a cursor whose only key is a string, such as a name. */
export function decodeNameCursor(cursor: string | undefined): string | undefined {
  const values = decodeCursor(cursor);
  if (values === undefined) return undefined;
  if (values.length !== 1 || typeof values[0] !== "string") {
    throw new InvalidInputError(
      "after",
      `Invalid cursor ${JSON.stringify(cursor)}; pass a cursor from a previous page.`,
    );
  }
  return values[0];
}

const MAX_PAGE_SIZE = 200;

/** Keyset pagination for a Relay connection; `load` receives the decoded bounds. */
export function cursorConnection<T>(
  args: DefaultConnectionArguments,
  toCursor: (node: T) => string,
  load: (params: ResolveCursorConnectionArgs) => Promise<T[]>,
) {
  for (const key of ["first", "last"] as const) {
    const size = args[key];
    if (size !== null && size !== undefined && (size < 0 || size > MAX_PAGE_SIZE)) {
      throw new InvalidInputError(
        key,
        `${key} must be between 0 and ${MAX_PAGE_SIZE}; got ${size}.`,
      );
    }
  }
  return resolveCursorConnection<Promise<T[]>>(
    { args, toCursor, defaultSize: 20, maxSize: MAX_PAGE_SIZE },
    load,
  );
}
