import { Command } from "commander";
import { ConfigError } from "../config.ts";
import { TailorError } from "../errors.ts";
import { registerDemoCommand } from "./commands/demo.command.ts";
import { registerExtractCommand } from "./commands/extract.command.ts";
import { registerImportCommand } from "./commands/import.command.ts";
import { registerLabelCommands } from "./commands/label.command.ts";
import { registerPlanCommand } from "./commands/plan.command.ts";
import { registerServeCommand } from "./commands/serve.command.ts";
import { registerCancelCommand, registerStatusCommand } from "./commands/status.command.ts";
import { registerWorkerCommand } from "./commands/worker.command.ts";
import { CliError } from "./runtime.ts";

const program = new Command("tailor")
  .description(
    "Learn how user groups want to be answered from conversation logs, and tailor replies to them.",
  )
  .showHelpAfterError();

registerServeCommand(program);
registerWorkerCommand(program);
registerImportCommand(program);
registerStatusCommand(program);
registerCancelCommand(program);
registerLabelCommands(program);
registerExtractCommand(program);
registerPlanCommand(program);
registerDemoCommand(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  const expected =
    error instanceof CliError || error instanceof ConfigError || error instanceof TailorError;
  process.stderr.write(
    `tailor: ${expected ? (error as Error).message : String((error as Error)?.stack ?? error)}\n`,
  );
  process.exitCode = 1;
}
