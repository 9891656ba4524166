import { type DubboLogger, silentLogger } from '../logging/logger.js';

export type StatusListener<S> = (status: S, previous: S) => void;

/**
 * Which moves a machine allows: for each status, the statuses it may move to (`[]` for a final one).
 * Every status has an entry, so the table is also the machine's documentation in one place.
 */
export type StatusTransitions<S extends string> = { readonly [From in S]: readonly S[] };

/**
 * The one place a stateful object's status changes: it logs `from → to` and tells listeners (a
 * throwing listener is logged, never allowed to break the transition).
 *
 * With a transition table, a move the table does not list is logged at error level, and still
 * made. It does not throw: `set` is called from socket, timer and ZooKeeper callbacks that have no
 * caller to catch anything, so a throw would become an uncaught exception in the host application
 * and skip the cleanup that follows the move (failing pending calls, closing sockets). The owner
 * decides its status; the table checks that decision and makes a wrong one visible.
 */
export class StatusMachine<S extends string> {
  private current: S;
  private readonly listeners = new Set<StatusListener<S>>();

  constructor(
    initial: S,
    private readonly label: string,
    private readonly logger: DubboLogger = silentLogger,
    private readonly transitions?: StatusTransitions<S>,
  ) {
    this.current = initial;
  }

  get value(): S {
    return this.current;
  }

  /** Whether the table allows moving from the current status to `next` (always true without one). */
  allows(next: S): boolean {
    return this.transitions === undefined || this.transitions[this.current].includes(next);
  }

  /** Moves to `next`; returns false when already there. */
  set(next: S): boolean {
    const previous = this.current;
    if (previous === next) {
      return false;
    }
    if (!this.allows(next)) {
      this.logger.error(
        `${this.label}: illegal status move ${previous} → ${next} (allowed from ${previous}: ${this.transitions![previous].join(', ') || 'none'})`,
      );
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
