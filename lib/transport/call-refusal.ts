import { ClientClosedError } from '../errors/client-closed.error.js';
import { ConnectionError } from '../errors/connection.error.js';
import { type DubboErrorContext } from '../errors/dubbo.error.js';
import { TransportError } from '../errors/transport.error.js';
import { type ConnectionStatus } from './connection-status.js';

/**
 * Why a connection will not take a new call: its status, or one of its two bounds. Built only on
 * the refusing path (callers wrap them in withoutStack: a refusal under load must stay cheap).
 */

/** The refusal for a connection in `status`, or undefined when it takes the call (queued while connecting). */
export function statusRefusal(status: ConnectionStatus, address: string, context: DubboErrorContext): Error | undefined {
  switch (status) {
    case 'ready':
    case 'idle':
    case 'connecting':
      return undefined;
    case 'readonly':
      return new ConnectionError(`Provider ${address} is shutting down (readonly); no new calls on this connection`, {
        context: { ...context, reason: 'readonly' },
      });
    case 'reconnecting':
      return new ConnectionError(`Connection to ${address} is down; reconnecting`, { context: { ...context, reason: 'reconnecting' } });
    default:
      return new ClientClosedError(`Connection to ${address} is closed`, { context });
  }
}

export function tooManyInFlight(address: string, limit: number, context: DubboErrorContext): TransportError {
  return new TransportError(`Too many calls in flight on ${address} (limit ${limit}); slow down or add connections`, {
    context: { ...context, reason: 'max-in-flight' },
  });
}

export function tooManyQueued(address: string, limit: number, context: DubboErrorContext): TransportError {
  return new TransportError(`Too many calls waiting to be written to ${address} (limit ${limit}); the connection is not keeping up`, {
    context: { ...context, reason: 'max-queued' },
  });
}
