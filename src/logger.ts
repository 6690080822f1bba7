import { type Logger, pino } from "pino";

export type { Logger };

/** JSON logs in production; readable lines when stderr is a terminal. */
export function createLogger(level: string): Logger {
  const pretty = process.stderr.isTTY && process.env.NODE_ENV !== "production";
  return pino(
    {
      level,
      redact: {
        paths: ["*.apiKey", "*.authorization", "*.headers.authorization"],
        censor: "[secret]",
      },
    },
    pretty
      ? pino.transport({ target: "pino-pretty", options: { destination: 2, colorize: true } })
      : pino.destination(2),
  );
}
