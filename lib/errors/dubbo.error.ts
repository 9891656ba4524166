import { type DubboErrorCode } from './dubbo-error-code.js';

/**
 * Where an error happened. Every field is optional: each layer fills in what it knows.
 * @publicApi
 */
export interface DubboErrorContext {
  service?: string;
  method?: string;
  version?: string;
  group?: string;
  address?: string;
  requestId?: number | bigint;
  [key: string]: unknown;
}

export interface DubboErrorOptions {
  cause?: unknown;
  context?: DubboErrorContext;
}

/**
 * Base of every error this library throws. `code` is stable, `retriable` says whether trying again
 * (possibly on another provider) can help, `context` says where it happened.
 * @publicApi
 */
export abstract class DubboError extends Error {
  abstract readonly code: DubboErrorCode;
  readonly context: DubboErrorContext;

  constructor(message: string, options: DubboErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.context = options.context ?? {};
  }

  override get name(): string {
    return this.constructor.name;
  }

  /** Whether a retry (on this or another provider) may succeed. */
  get retriable(): boolean {
    return false;
  }

  toJSON(): Record<string, unknown> {
    return { name: this.name, code: this.code, message: this.message, retriable: this.retriable, context: this.context };
  }
}
