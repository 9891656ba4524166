import { type RegistryStats, type RegistryStatus } from '../registry/registry-status.js';
import { type ConnectionStatus } from '../transport/connection-status.js';

/**
 * Lifecycle of the client: idle → connecting → ready ⇄ reconnecting → draining → closed.
 * @publicApi
 */
export type DubboClientStatus = 'idle' | 'connecting' | 'ready' | 'reconnecting' | 'draining' | 'closed';

/**
 * A point-in-time view for health checks and status pages.
 * @publicApi
 */
export interface DubboClientSnapshot {
  status: DubboClientStatus;
  registry: { kind: 'zookeeper' | 'direct'; status: RegistryStatus; address?: string };
  references: Array<{
    key: string;
    service: string;
    version: string;
    group: string;
    providers: Array<{ address: string; weight: number; available: boolean }>;
    inFlight: number;
  }>;
  connections: Array<{ address: string; status: ConnectionStatus; inFlight: number }>;
  inFlight: number;
}

/**
 * Exact counters behind the client's memory guarantee: what it holds is bounded by the distinct
 * services it was asked for, never by the number of calls. For metrics, leak checks and tests;
 * cheap to read (no I/O), so it can be polled.
 * @publicApi
 */
export interface DubboClientDiagnostics {
  status: DubboClientStatus;
  references: {
    /** References held now, one per `group/interface:version`. */
    cached: number;
    /** References created so far; grows only when one released by `referenceIdleMs` is needed again. */
    created: number;
    /** The `maxReferences` option. */
    max: number;
  };
  services: {
    /** Interfaces subscribed to; each stays watched for the life of the client. */
    subscribed: number;
    /** The `maxServices` option. */
    max: number;
  };
  /** The registry's own counters: session, watches per path, consumer nodes, request counts. */
  registry: RegistryStats & { kind: 'zookeeper' | 'direct' };
  connections: {
    /** Provider addresses with a pooled connection set. */
    addresses: number;
    /** Connections (pooled), all addresses. */
    total: number;
    /** References holding a lease on a connection set, all addresses together. */
    leases: number;
  };
  /** Calls in flight, all references. */
  inFlight: number;
}
