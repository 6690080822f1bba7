import SchemaBuilder from "@pothos/core";
import ErrorsPlugin from "@pothos/plugin-errors";
import RelayPlugin from "@pothos/plugin-relay";
import type { App } from "../app.ts";
import { InvalidInputError, NotFoundError, type TailorError, UnavailableError } from "../errors.ts";

export interface GraphQLContext {
  app: App;
  /** True for callers allowed to name server-side files (the CLI, or a trusted network). */
  trusted: boolean;
}

/** The one Pothos builder; every type file under src/graphql adds to it. */
export const builder = new SchemaBuilder<{
  Context: GraphQLContext;
  DefaultFieldNullability: false;
  Scalars: {
    JSON: { Input: unknown; Output: unknown };
    DateTime: { Input: Date; Output: Date | string };
    File: { Input: File; Output: never };
  };
}>({
  plugins: [ErrorsPlugin, RelayPlugin],
  defaultFieldNullability: false,
  relay: { clientMutationId: "omit", cursorType: "String" },
  errors: { defaultTypes: [] },
});

builder.queryType({});
builder.mutationType({});
builder.subscriptionType({});

builder.scalarType("JSON", {
  description: "Any JSON value.",
  serialize: (value) => value,
  parseValue: (value) => value,
});

builder.scalarType("DateTime", {
  description: "An ISO 8601 timestamp.",
  serialize: (value) => new Date(value).toISOString(),
  parseValue: (value) => {
    const date = new Date(String(value));
    if (Number.isNaN(date.getTime()))
      throw new TypeError(`Invalid DateTime ${JSON.stringify(value)}.`);
    return date;
  },
});

builder.scalarType("File", {
  description: "A file sent with a GraphQL multipart request.",
  serialize: () => {
    throw new Error("File is an input-only scalar.");
  },
});

/** Every expected failure a client can branch on, as a member of a result union. */
export const ErrorInterface = builder.interfaceRef<TailorError>("Error").implement({
  description: "An expected failure: its code is stable, its message is for people.",
  fields: (t) => ({
    code: t.exposeString("code"),
    message: t.exposeString("message"),
  }),
});

builder.objectType(InvalidInputError, {
  name: "InvalidInputError",
  description: "An argument was invalid; `field` names it.",
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof InvalidInputError,
  fields: (t) => ({ field: t.exposeString("field") }),
});

builder.objectType(NotFoundError, {
  name: "NotFoundError",
  description: "The entity named in the request does not exist.",
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof NotFoundError,
  fields: (t) => ({ entity: t.exposeString("entity"), id: t.exposeString("id") }),
});

builder.objectType(UnavailableError, {
  name: "UnavailableError",
  description: "The feature needs a service or setting this deployment does not have.",
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof UnavailableError,
  fields: () => ({}),
});
