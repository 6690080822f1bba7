import type { Command } from "commander";
import { createApp } from "../../app.ts";
import { loadConfig } from "../../config.ts";
import { startServer } from "../../server.ts";
import { runUntilSignal } from "../../worker.ts";

export function registerServeCommand(program: Command): void {
  program
    .command("serve")
    .description("Start the GraphQL API (GraphiQL at /graphql)")
    .option("--port <port>", "TCP port (default: PORT or 4000)")
    .option("--host <host>", "interface to bind (default: HOST or 127.0.0.1)")
    .action(async (options: { port?: string; host?: string }) => {
      const config = loadConfig();
      const app = await createApp(config, { role: "api" });
      const server = await startServer(
        app,
        options.port ? Number(options.port) : config.port,
        options.host ?? config.host,
      );
      process.stderr.write(`Tailor GraphQL API at ${server.url}\n`);
      const resumed = await app.resumeInterruptedJobs();
      if (resumed > 0) app.logger.info({ resumed }, "resumed interrupted jobs");
      await runUntilSignal(app, async () => {
        await server.close();
        await app.close();
      });
    });
}
