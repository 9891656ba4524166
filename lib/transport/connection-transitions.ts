import { type StatusTransitions } from '../utils/status-machine.js';
import { type ConnectionStatus } from './connection-status.js';

/**
 * Every move a connection makes. A failed connect goes back to reconnecting (or idle without
 * reconnect); a socket that closes under a connected one does the same; close() ends it from anywhere.
 */
export const CONNECTION_TRANSITIONS: StatusTransitions<ConnectionStatus> = {
  idle: ['connecting', 'closing'],
  connecting: ['ready', 'reconnecting', 'idle', 'closing'],
  ready: ['readonly', 'reconnecting', 'idle', 'closing'],
  readonly: ['ready', 'reconnecting', 'idle', 'closing'],
  reconnecting: ['connecting', 'closing'],
  closing: ['closed'],
  closed: [],
};
