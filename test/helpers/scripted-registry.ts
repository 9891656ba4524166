import { DirectRegistry } from '../../lib/registry/direct-registry.js';
import { type ProviderUrl, type ServiceKey } from '../../lib/registry/provider-url.js';
import { type ProviderListener, type Registry, type RegistryStats, type RegistryStatus } from '../../lib/registry/registry.interface.js';

/**
 * A registry whose status, provider list and first delivery the test controls: `publish` sends a
 * list to every subscriber (the first one resolves pending subscribes), `fail` rejects them.
 */
export class ScriptedRegistry implements Registry {
  status: RegistryStatus = 'connected';
  private listeners = new Set<ProviderListener>();
  private list: ProviderUrl[] | undefined;
  private pending: Array<{ resolve: (off: () => void) => void; reject: (e: Error) => void; listener: ProviderListener }> = [];
  subscribeCalls = 0;
  absenceCalls = 0;
  absence: string | undefined;

  constructor(addresses?: string[]) {
    if (addresses) {
      this.list = addresses.length > 0 ? providersAt(addresses) : [];
    }
  }

  connect(): Promise<void> {
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

  /** New provider list (addresses host:port) for every subscriber. */
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

  register(): Promise<void> {
    return Promise.resolve();
  }

  unregister(): Promise<void> {
    return Promise.resolve();
  }

  onStatus(): () => void {
    return () => undefined;
  }

  stats(): RegistryStats {
    return { ...new DirectRegistry(['dubbo://127.0.0.1:1']).stats(), status: this.status, listeners: this.listeners.size };
  }

  close(): Promise<void> {
    this.listeners.clear();
    return Promise.resolve();
  }
}

/** Provider URLs of `org.acme.S` version 1.0.0 at these addresses. */
function providersAt(addresses: string[]): ProviderUrl[] {
  return new DirectRegistry(addresses.map((a) => `dubbo://${a}`)).providersFor({ interface: 'org.acme.S', version: '1.0.0', group: '' });
}
