import { type DubboLogger, silentLogger } from '../logging/logger.js';

export type StatusListener<S> = (status: S, previous: S) => void;

/**
 * The one place a stateful object's status changes: it logs `from → to` and tells listeners (a
 * throwing listener is logged, never allowed to break the transition).
 */
export class StatusMachine<S extends string> {
  private current: S;
  private readonly listeners = new Set<StatusListener<S>>();

  constructor(
    initial: S,
    private readonly label: string,
    private readonly logger: DubboLogger = silentLogger,
  ) {
    this.current = initial;
  }

  get value(): S {
    return this.current;
  }

  /** Moves to `next`; returns false when already there. */
  set(next: S): boolean {
    const previous = this.current;
    if (previous === next) {
      return false;
    }
    this.current = next;
    this.logger.debug?.(`${this.label}: ${previous} → ${next}`);
    for (const listener of [...this.listeners]) {
      try {
        listener(next, previous);
      } catch (err) {
        this.logger.error(`${this.label} status listener threw: ${(err as Error).message}`);
      }
    }
    return true;
  }

  onChange(listener: StatusListener<S>): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  clearListeners(): void {
    this.listeners.clear();
  }
}
