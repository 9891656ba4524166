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
  registry: { kind: 'zookeeper' | 'direct'; status: string; address?: string };
  references: Array<{
    key: string;
    service: string;
    version: string;
    group: string;
    providers: Array<{ address: string; weight: number; available: boolean }>;
    inFlight: number;
  }>;
  connections: Array<{ address: string; status: string; inFlight: number }>;
  inFlight: number;
}
