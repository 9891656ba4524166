/**
 * Stable machine-readable codes, one per error class. Safe to switch on and to log; never renamed.
 * @publicApi
 */
export type DubboErrorCode =
  | 'CONFIG_INVALID'
  | 'REGISTRY_ERROR'
  | 'REGISTRY_CONNECTION'
  | 'REGISTRY_SESSION_EXPIRED'
  | 'NO_PROVIDER'
  | 'TRANSPORT_ERROR'
  | 'CONNECTION_FAILED'
  | 'CONNECTION_CLOSED'
  | 'PROTOCOL_ERROR'
  | 'SERIALIZATION_ERROR'
  | 'RPC_TIMEOUT'
  | 'REMOTE_ERROR'
  | 'SERVICE_NOT_FOUND'
  | 'METHOD_NOT_FOUND'
  | 'PROVIDER_BUSY'
  | 'REMOTE_SERVICE_ERROR'
  | 'CLIENT_CLOSED'
  | 'LIMIT_EXCEEDED';
