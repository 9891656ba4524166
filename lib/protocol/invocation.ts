/** What identifies a service on a provider: the parts of a request constant per reference. */
export interface ServiceTarget {
  /** Provider URL path, used by the provider to find the invoker (normally the interface name). */
  path: string;
  /** Interface name, when it differs from the path. @default path */
  interface?: string;
  /** Service version; none is sent as '0.0.0', as Java consumers do. */
  version?: string;
  /** Service group; travels only as an attachment. */
  group?: string;
}

/** One generic call as it goes on the wire, `$invoke(method, parameterTypes, args)` on a service (Dubbo calls it RpcInvocation). */
export interface RpcInvocation extends ServiceTarget {
  /** The real method name. */
  method: string;
  /**
   * Java parameter types, as Java names them (`int`, `java.lang.String`, `java.lang.String[]`),
   * one per argument; null lets the provider pick the method by name alone.
   */
  parameterTypes: readonly string[] | null;
  args: readonly unknown[];
  /** Extra attachments (token, remote.application, tracing…); they win over the computed ones. */
  attachments?: Readonly<Record<string, unknown>>;
}

/** The attachment keys this client computes from the target and call. */
export const ATTACHMENT = {
  PATH: 'path',
  INTERFACE: 'interface',
  VERSION: 'version',
  GROUP: 'group',
  GENERIC: 'generic',
  TIMEOUT: 'timeout',
} as const;

export const GENERIC_METHOD = '$invoke';
export const GENERIC_DESCRIPTOR = 'Ljava/lang/String;[Ljava/lang/String;[Ljava/lang/Object;';
export const DEFAULT_SERVICE_VERSION = '0.0.0';
