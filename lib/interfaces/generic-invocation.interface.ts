/**
 * Per-call options: every one falls back to the reference's, then the module's defaults.
 * @publicApi
 */
export interface CallOptions {
  /** Deadline of one attempt, in ms. */
  timeoutMs?: number;
  /** Extra attempts on other providers after a non-business failure (failover). */
  retries?: number;
  /** String attachments sent to the provider (RpcContext attachments in Java). */
  attachments?: Record<string, string>;
  /** Cancels the wait: the call rejects at once and its late reply is dropped. */
  signal?: AbortSignal;
}

/**
 * Which service: Java interface name, and the version and group it is exported with.
 * @publicApi
 */
export interface ServiceSelector {
  service: string;
  version?: string;
  group?: string;
}

/**
 * One generic call: the shape of Java's GenericService.$invoke plus the service it goes to.
 * @publicApi
 */
export interface GenericInvocation extends ServiceSelector, CallOptions {
  method: string;
  /** Java parameter types, e.g. ['java.lang.String', 'long', 'com.acme.User']; one per argument. */
  parameterTypes: string[];
  args: unknown[];
}
