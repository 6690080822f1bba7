import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { type ExecutionResult, execute, subscribe } from "graphql";
import type { App } from "../app.ts";
import { schema } from "../graphql/schema.ts";

/**
 * Runs the CLI's typed operations against the schema in this process, as a trusted caller
 * (server-side paths allowed). The same documents work over HTTP against `tailor serve`.
 */
export class InProcessGraphQL {
  constructor(private readonly app: App) {}

  async request<Result, Variables>(
    document: TypedDocumentNode<Result, Variables>,
    variables: Variables,
  ): Promise<Result> {
    const result = (await execute({
      schema,
      document,
      variableValues: variables as Record<string, unknown>,
      contextValue: { app: this.app, trusted: true },
    })) as ExecutionResult<Result>;
    return unwrap(result);
  }

  async *subscribe<Result, Variables>(
    document: TypedDocumentNode<Result, Variables>,
    variables: Variables,
  ): AsyncGenerator<Result> {
    const stream = await subscribe({
      schema,
      document,
      variableValues: variables as Record<string, unknown>,
      contextValue: { app: this.app, trusted: true },
    });
    if (!(Symbol.asyncIterator in stream)) {
      yield unwrap(stream as ExecutionResult<Result>);
      return;
    }
    for await (const result of stream as AsyncIterable<ExecutionResult<Result>>)
      yield unwrap(result);
  }
}

function unwrap<Result>(result: ExecutionResult<Result>): Result {
  if (result.errors?.length) {
    throw new Error(result.errors.map((error) => error.message).join("; "));
  }
  if (!result.data) throw new Error("The GraphQL operation returned no data.");
  return result.data;
}
