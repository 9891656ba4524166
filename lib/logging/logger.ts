/**
 * The logging contract of the layers below Nest (protocol, transport, registry, cluster, reference).
 * Nest's Logger satisfies it; so does `console`. The module passes a Nest Logger in.
 * @publicApi
 */
export interface DubboLogger {
  log(message: string, ...meta: unknown[]): void;
  warn(message: string, ...meta: unknown[]): void;
  error(message: string, ...meta: unknown[]): void;
  debug?(message: string, ...meta: unknown[]): void;
}

/** Discards everything; the default where no logger is given. */
export const silentLogger: DubboLogger = {
  log: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  debug: () => undefined,
};
