/** Constants of the protocol layer; the root constants file re-exports the public ones. */

/** Largest frame body sent or accepted, in bytes: 8 MiB, Dubbo's own default payload limit. */
export const DEFAULT_MAX_PAYLOAD_BYTES = 8 * 1024 * 1024;

/** The dubbo protocol version a request carries (and a consumer URL advertises), as Dubbo 2.7 and 3.x send it. */
export const DUBBO_PROTOCOL_VERSION = '2.0.2';
