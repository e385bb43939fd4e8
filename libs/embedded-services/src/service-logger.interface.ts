/** The subset of Nest's `LoggerService` the embedded starters use, so a Nest `Logger` fits. */
export interface ServiceLogger {
  log(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}
