/**
 * No discovery: a fixed list of `dubbo://host:port` providers serving every service. Nothing is
 * watched and nothing registered; subscribe delivers the list once.
 */
import { DubboConfigError, RegistryError } from '../errors/index.js';
import { StatusMachine } from '../utils/status-machine.js';
import { type DubboUrl, parseUrl, type ProviderUrl, toProviderUrl } from './provider-url.js';
import { type ServiceKey } from './service-key.js';
import {
  type ConsumerRegistration,
  type ProviderListener,
  type Registry,
  type RegistryStats,
  type RegistryStatus,
} from './registry.interface.js';

/** @publicApi */
export class DirectRegistry implements Registry {
  private readonly statusMachine: StatusMachine<RegistryStatus>;
  private readonly urls: ReadonlyArray<{ url: DubboUrl; raw: string }>;
  private readonly listeners = new Set<ProviderListener>();

  constructor(urls: readonly string[]) {
    this.statusMachine = new StatusMachine<RegistryStatus>('idle', 'direct registry');
    if (!Array.isArray(urls) || urls.length === 0) {
      throw new DubboConfigError('registry.direct', "must be a non-empty array of 'dubbo://host:port' URLs");
    }
    this.urls = urls.map((raw, i) => {
      let url: DubboUrl;
      try {
        url = parseUrl(raw);
      } catch (err) {
        throw new DubboConfigError(`registry.direct[${i}]`, `must be a 'dubbo://host:port' URL, got '${raw}'`, { cause: err });
      }
      if (url.protocol !== 'dubbo' || url.host === '' || url.port <= 0) {
        throw new DubboConfigError(`registry.direct[${i}]`, `must be a 'dubbo://host:port' URL, got '${raw}'`);
      }
      return { url, raw };
    });
  }

  get status(): RegistryStatus {
    return this.statusMachine.value;
  }

  onStatus(listener: (status: RegistryStatus, previous: RegistryStatus) => void): () => void {
    return this.statusMachine.onChange(listener);
  }

  private setStatus(next: RegistryStatus): void {
    this.statusMachine.set(next);
  }

  connect(): Promise<void> {
    if (this.statusMachine.value === 'closed' || this.statusMachine.value === 'closing') {
      return Promise.reject(new RegistryError('The registry is closed'));
    }
    this.setStatus('connected');
    return Promise.resolve();
  }

  /** The fixed providers, presented as providers of the asked interface, group and version. */
  providersFor(key: ServiceKey): ProviderUrl[] {
    return this.urls.map(({ url, raw }) => {
      const params: Record<string, string> = { ...url.params, interface: key.interface };
      delete params['group'];
      delete params['version'];
      if (key.version !== undefined && key.version !== '' && key.version !== '*') {
        params['version'] = key.version;
      }
      if (key.group !== undefined && key.group !== '' && key.group !== '*' && !key.group.includes(',')) {
        params['group'] = key.group;
      }
      return toProviderUrl({ ...url, path: key.interface, params }, raw, params);
    });
  }

  subscribe(key: ServiceKey, listener: ProviderListener): Promise<() => void> {
    if (this.statusMachine.value === 'closed' || this.statusMachine.value === 'closing') {
      return Promise.reject(new RegistryError('The registry is closed'));
    }
    if (typeof key?.interface !== 'string' || key.interface.trim() === '') {
      return Promise.reject(new DubboConfigError('service', `must be a Java interface name, got '${String(key?.interface)}'`));
    }
    this.listeners.add(listener);
    listener(Object.freeze(this.providersFor(key)));
    return Promise.resolve(() => {
      this.listeners.delete(listener);
    });
  }

  register(_consumer: ConsumerRegistration): Promise<void> {
    return Promise.resolve();
  }

  unregister(_consumer: ConsumerRegistration): Promise<void> {
    return Promise.resolve();
  }

  stats(): RegistryStats {
    return {
      status: this.statusMachine.value,
      clientsCreated: 0,
      sessionsSeen: 0,
      sessionId: undefined,
      services: 0,
      listeners: this.listeners.size,
      pathsWatched: 0,
      pathsKnown: 0,
      paths: {},
      clientWatcherFunctions: 0,
      maxWatcherFunctionsPerPath: 0,
      getChildrenCalls: 0,
      existsCalls: 0,
      events: 0,
      requestTimeouts: 0,
      absenceReads: 0,
      consumerNodes: 0,
      consumerNodeCreations: 0,
      clientQueueLength: 0,
    };
  }

  close(): Promise<void> {
    this.listeners.clear();
    this.setStatus('closed');
    this.statusMachine.clearListeners();
    return Promise.resolve();
  }
}
