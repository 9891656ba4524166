/**
 * Lifecycle of one provider connection: idle → connecting → ready ⇄ readonly; ready/readonly →
 * reconnecting → connecting …; any → closing → closed (final). `readonly` means the provider sent
 * a readonly event (it is shutting down): no new calls go to it, answers still come back.
 * @publicApi
 */
export type ConnectionStatus = 'idle' | 'connecting' | 'ready' | 'readonly' | 'reconnecting' | 'closing' | 'closed';
