import { RegistryConnectionError } from '../../lib/errors/index.js';
import { DirectRegistry } from '../../lib/registry/direct-registry.js';
import { type ProviderUrl } from '../../lib/registry/provider-url.js';
import { type ServiceKey } from '../../lib/registry/service-key.js';
import {
  type ConsumerRegistration,
  type ProviderListener,
  type Registry,
  type RegistryStats,
  type RegistryStatus,
} from '../../lib/registry/registry.interface.js';

/**
 * An in-memory Registry the test drives: `publish` sends a provider list to every subscriber (the
 * first one resolves pending subscribes), `fail` rejects them, `setStatus` moves the status and
 * tells `onStatus` listeners. Addresses are `host:port`, optionally with URL parameters
 * (`host:port?timeout=250&retries=0`), as a provider would register them.
 */
export class FakeRegistry implements Registry {
  private current: RegistryStatus = 'connected';
  private listeners = new Set<ProviderListener>();
  private readonly statusListeners = new Set<(status: RegistryStatus, previous: RegistryStatus) => void>();
  private list: ProviderUrl[] | undefined;
  private pending: Array<{ resolve: (off: () => void) => void; reject: (e: Error) => void; listener: ProviderListener }> = [];
  subscribeCalls = 0;
  absenceCalls = 0;
  absence: string | undefined;
  connectCalls = 0;
  closeCalls = 0;
  /** Set to make connect() reject with a RegistryConnectionError. */
  refuseConnect = false;
  readonly registered: ConsumerRegistration[] = [];
  readonly unregistered: ConsumerRegistration[] = [];

  constructor(addresses?: string[]) {
    if (addresses) {
      this.list = addresses.length > 0 ? providersAt(addresses) : [];
    }
  }

  get status(): RegistryStatus {
    return this.current;
  }

  /** Sets the status silently (as it was before anyone listened). */
  set status(value: RegistryStatus) {
    this.current = value;
  }

  /** Moves the status and tells the onStatus listeners, as a real registry does. */
  setStatus(next: RegistryStatus): void {
    const previous = this.current;
    this.current = next;
    for (const l of [...this.statusListeners]) {
      l(next, previous);
    }
  }

  get subscribers(): number {
    return this.listeners.size;
  }

  connect(): Promise<void> {
    this.connectCalls++;
    if (this.refuseConnect) {
      return Promise.reject(new RegistryConnectionError('fake registry refuses to connect'));
    }
    this.setStatus('connected');
    return Promise.resolve();
  }

  subscribe(_key: ServiceKey, listener: ProviderListener): Promise<() => void> {
    this.subscribeCalls++;
    const off = (): void => {
      this.listeners.delete(listener);
    };
    if (this.list !== undefined) {
      this.listeners.add(listener);
      listener(this.list);
      return Promise.resolve(off);
    }
    return new Promise((resolve, reject) => this.pending.push({ resolve, reject, listener }));
  }

  /** New provider list for every subscriber. */
  publish(addresses: string[]): void {
    this.list = addresses.length > 0 ? providersAt(addresses) : [];
    for (const l of this.listeners) {
      l(this.list);
    }
    for (const p of this.pending.splice(0)) {
      this.listeners.add(p.listener);
      p.listener(this.list);
      p.resolve(() => this.listeners.delete(p.listener));
    }
  }

  /** Rejects every pending subscribe. */
  fail(error: Error): void {
    for (const p of this.pending.splice(0)) {
      p.reject(error);
    }
  }

  describeAbsence(): Promise<string | undefined> {
    this.absenceCalls++;
    return Promise.resolve(this.absence);
  }

  register(consumer: ConsumerRegistration): Promise<void> {
    this.registered.push(consumer);
    return Promise.resolve();
  }

  unregister(consumer: ConsumerRegistration): Promise<void> {
    this.unregistered.push(consumer);
    return Promise.resolve();
  }

  onStatus(listener: (status: RegistryStatus, previous: RegistryStatus) => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  get statusListenerCount(): number {
    return this.statusListeners.size;
  }

  stats(): RegistryStats {
    return { ...new DirectRegistry(['dubbo://127.0.0.1:1']).stats(), status: this.current, listeners: this.listeners.size };
  }

  close(): Promise<void> {
    this.closeCalls++;
    this.listeners.clear();
    this.setStatus('closed');
    return Promise.resolve();
  }
}

/** Provider URLs of `org.acme.S` version 1.0.0 at these addresses (parameters kept). */
function providersAt(addresses: string[]): ProviderUrl[] {
  return new DirectRegistry(addresses.map((a) => `dubbo://${a}`)).providersFor({ interface: 'org.acme.S', version: '1.0.0', group: '' });
}
