import { Inject, Injectable } from '@nestjs/common';
import { DubboGenericBootstrap } from './dubbo-generic.bootstrap.js';
import { type CallOptions, type GenericInvocation, type ServiceSelector } from './interfaces/generic-invocation.interface.js';
import { type DubboClientDiagnostics, type DubboClientSnapshot, type DubboClientStatus } from './interfaces/status.interface.js';

/**
 * A service handle with the shape of Java's GenericService. Cheap and stateless: every call goes to
 * the one cached reference of its `group/interface:version`, so creating handles per request is fine.
 * @publicApi
 */
export interface GenericServiceHandle {
  readonly service: string;
  readonly version: string | undefined;
  readonly group: string | undefined;
  $invoke<T = unknown>(method: string, parameterTypes: string[], args: unknown[], options?: CallOptions): Promise<T>;
}

/**
 * Calls Dubbo services by generic invocation. Inject it by type. It holds no resources itself: the
 * module's one application-scoped engine owns the registry session, connections and references.
 * @publicApi
 */
@Injectable()
export class GenericClient {
  // Explicit token: works without emitted decorator metadata (esbuild, tsx, swc without it).
  /** @internal Nest creates it; inject GenericClient by type. */
  constructor(@Inject(DubboGenericBootstrap) private readonly bootstrap: DubboGenericBootstrap) {}

  /** One generic call. Rejects with a DubboError subclass (see README, Errors). */
  invoke<T = unknown>(invocation: GenericInvocation): Promise<T> {
    return this.bootstrap.consumer.invoke<T>(invocation);
  }

  /** A handle on one service: `handle.$invoke(method, parameterTypes, args, options?)`. */
  service(service: string, selector: Omit<ServiceSelector, 'service'> & CallOptions = {}): GenericServiceHandle {
    const { version, group, ...defaults } = selector;
    const consumer = this.bootstrap.consumer;
    return {
      service,
      version,
      group,
      $invoke: <T>(method: string, parameterTypes: string[], args: unknown[], options?: CallOptions) =>
        consumer.invoke<T>({ ...defaults, ...options, service, version, group, method, parameterTypes, args }),
    };
  }

  get status(): DubboClientStatus {
    return this.bootstrap.consumer.status;
  }

  /** Status changes (e.g. for a health indicator or a log line); returns the function that unsubscribes. */
  onStatus(listener: (status: DubboClientStatus, previous: DubboClientStatus) => void): () => void {
    return this.bootstrap.consumer.onStatus(listener);
  }

  /** References, their providers and connections, for health checks. */
  snapshot(): DubboClientSnapshot {
    return this.bootstrap.consumer.snapshot();
  }

  /** Exact counters (references, subscriptions, registry watches, connections) for metrics and leak checks; no I/O. */
  diagnostics(): DubboClientDiagnostics {
    return this.bootstrap.consumer.diagnostics();
  }
}
