/** graphile-worker logging: warnings and errors only, unless DEBUG is set. */
import { Logger, type LogFunctionFactory } from "graphile-worker";

const logFactory: LogFunctionFactory = (scope) => (level, message, meta) => {
  if (level === "error" || level === "warning" || process.env.DEBUG) {
    console.error(`[worker${scope.taskIdentifier ? `:${scope.taskIdentifier}` : ""}] ${level}: ${message}`, meta ?? "");
  }
};

export const quietWorkerLogger = new Logger(logFactory);
