import { createServer, type Server } from "node:http";
import { createGraphQLError, createYoga, type YogaServerInstance } from "graphql-yoga";
import type { App } from "./app.ts";
import { TailorError } from "./errors.ts";
import type { GraphQLContext } from "./graphql/builder.ts";
import { schema } from "./graphql/schema.ts";

export type TailorYoga = YogaServerInstance<Record<string, unknown>, GraphQLContext>;

export interface YogaOptions {
  /** Callers may name server-side files outside TAILOR_IMPORT_ROOTS (in-process use by the CLI). */
  trusted?: boolean;
}

/** Creates the GraphQL endpoint at /graphql, with GraphiQL and subscriptions over SSE. */
export function createTailorYoga(app: App, options: YogaOptions = {}): TailorYoga {
  return createYoga<Record<string, unknown>, GraphQLContext>({
    schema,
    context: () => ({ app, trusted: options.trusted ?? false }),
    graphiql: { title: "Tailor" },
    logging: {
      // Messages are built only when their level is on: yoga logs on every request.
      debug: (...args) => {
        if (app.logger.isLevelEnabled("debug")) app.logger.debug(args.map(String).join(" "));
      },
      info: (...args) => {
        if (app.logger.isLevelEnabled("info")) app.logger.info(args.map(String).join(" "));
      },
      warn: (...args) => app.logger.warn(args.map(String).join(" ")),
      error: (...args) => app.logger.error({ err: args[0] }, "graphql error"),
    },
    maskedErrors: {
      // Expected failures keep their message; anything else is masked and logged with its id.
      maskError(error, message) {
        const original = (error as { originalError?: unknown }).originalError;
        if (original instanceof TailorError) return error as Error;
        // GraphQL's own request errors (a variable of the wrong type, an unknown field) have no
        // original error, or another GraphQLError: their messages name the problem and reveal
        // nothing internal. Compared by name, because yoga and the schema may load graphql twice.
        const isGraphQLError = (value: unknown) =>
          (value as Error | undefined)?.name === "GraphQLError";
        if (isGraphQLError(error) && (original === undefined || isGraphQLError(original)))
          return error as Error;
        if ((error as { extensions?: { code?: string } }).extensions?.code) return error as Error;
        const id = crypto.randomUUID();
        app.logger.error({ err: original ?? error, errorId: id }, "unexpected error in a resolver");
        return createGraphQLError(`${message} (error id ${id})`, {
          extensions: { code: "INTERNAL", errorId: id },
        });
      },
    },
  });
}

export interface RunningServer {
  server: Server;
  url: string;
  close(): Promise<void>;
}

export async function startServer(
  app: App,
  port = app.config.port,
  host = app.config.host,
): Promise<RunningServer> {
  const yoga = createTailorYoga(app);
  const server = createServer(yoga);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address();
  const actualPort = typeof address === "object" && address ? address.port : port;
  const url = `http://${host}:${actualPort}${yoga.graphqlEndpoint}`;
  app.logger.info({ url }, "GraphQL server listening");
  return {
    server,
    url,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
