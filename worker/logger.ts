/**
 * graphile-worker logging: warnings and errors only, one line each (the
 * message names the cause); with DEBUG set, everything, with details.
 */
import { Logger, type LogFunctionFactory } from "graphile-worker";

const logFactory: LogFunctionFactory = (scope) => (level, message, meta) => {
  const line = `[worker${scope.taskIdentifier ? `:${scope.taskIdentifier}` : ""}] ${level}: ${message}`;
  if (process.env.DEBUG) console.error(line, meta ?? "");
  else if (level === "error" || level === "warning") console.error(line);
};

export const quietWorkerLogger = new Logger(logFactory);
