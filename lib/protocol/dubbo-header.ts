/**
 * The 16-byte dubbo frame header: magic `da bb`, flag, status, int64 request id, int32 body length.
 * Pure functions over Buffers; no I/O.
 */

export const HEADER_LENGTH = 16;
export const MAGIC_HIGH = 0xda;
export const MAGIC_LOW = 0xbb;

export const FLAG_REQUEST = 0x80;
export const FLAG_TWO_WAY = 0x40;
export const FLAG_EVENT = 0x20;
export const SERIALIZATION_MASK = 0x1f;

/** Serialization id of Hessian2, the only one this client writes or fully reads. */
export const HESSIAN2_SERIALIZATION_ID = 2;

/** Response status codes (org.apache.dubbo.remoting.exchange.Response). */
export const ResponseStatus = {
  OK: 20,
  SERIALIZATION_ERROR: 25,
  CLIENT_TIMEOUT: 30,
  SERVER_TIMEOUT: 31,
  CHANNEL_INACTIVE: 35,
  BAD_REQUEST: 40,
  BAD_RESPONSE: 50,
  SERVICE_NOT_FOUND: 60,
  SERVICE_ERROR: 70,
  SERVER_ERROR: 80,
  CLIENT_ERROR: 90,
  SERVER_THREADPOOL_EXHAUSTED_ERROR: 100,
} as const;

/** Numbers up to this magnitude are request ids kept as plain numbers; larger ones become bigint. */
const SAFE_HIGH_WORD = 0x1fffff;

export type RequestId = number | bigint;

export interface DubboHeader {
  /** The raw flag byte. */
  flag: number;
  isRequest: boolean;
  twoWay: boolean;
  isEvent: boolean;
  serializationId: number;
  status: number;
  requestId: RequestId;
  bodyLength: number;
}

export interface HeaderFields {
  isRequest: boolean;
  twoWay?: boolean;
  isEvent?: boolean;
  serializationId?: number;
  status?: number;
  requestId: RequestId;
  bodyLength: number;
}

export function flagOf(fields: Pick<HeaderFields, 'isRequest' | 'twoWay' | 'isEvent' | 'serializationId'>): number {
  return (
    (fields.isRequest ? FLAG_REQUEST : 0) |
    (fields.twoWay ? FLAG_TWO_WAY : 0) |
    (fields.isEvent ? FLAG_EVENT : 0) |
    ((fields.serializationId ?? HESSIAN2_SERIALIZATION_ID) & SERIALIZATION_MASK)
  );
}

/** Writes a request id as a signed int64; numbers must be integers (ids we mint are always safe). */
export function writeRequestId(target: Buffer, offset: number, id: RequestId): void {
  if (typeof id === 'bigint') {
    target.writeBigInt64BE(BigInt.asIntN(64, id), offset);
    return;
  }
  // Split into words without BigInt: ids are the hot path.
  const high = Math.floor(id / 0x100000000);
  target.writeInt32BE(high | 0, offset);
  target.writeUInt32BE(id - high * 0x100000000, offset + 4);
}

export function readRequestId(source: Buffer, offset: number): RequestId {
  const high = source.readInt32BE(offset);
  if (high <= SAFE_HIGH_WORD && high >= -SAFE_HIGH_WORD - 1) {
    return high * 0x100000000 + source.readUInt32BE(offset + 4);
  }
  return source.readBigInt64BE(offset);
}

/** Writes a header at `offset` of `target` (which must have 16 bytes there). */
export function writeHeader(target: Buffer, offset: number, fields: HeaderFields): void {
  target[offset] = MAGIC_HIGH;
  target[offset + 1] = MAGIC_LOW;
  target[offset + 2] = flagOf(fields);
  target[offset + 3] = fields.status ?? 0;
  writeRequestId(target, offset + 4, fields.requestId);
  target.writeInt32BE(fields.bodyLength, offset + 12);
}

export function encodeHeader(fields: HeaderFields): Buffer {
  const buf = Buffer.allocUnsafe(HEADER_LENGTH);
  writeHeader(buf, 0, fields);
  return buf;
}

/** True when the two bytes at `offset` are the dubbo magic. */
export function hasMagic(source: Buffer, offset: number): boolean {
  return source[offset] === MAGIC_HIGH && source[offset + 1] === MAGIC_LOW;
}

/**
 * Reads a header at `offset`. The caller has checked the magic and that 16 bytes are there.
 * `bodyLength` is returned as read (it may be negative in a corrupt frame).
 */
export function decodeHeader(source: Buffer, offset = 0): DubboHeader {
  const flag = source[offset + 2] ?? 0;
  return {
    flag,
    isRequest: (flag & FLAG_REQUEST) !== 0,
    twoWay: (flag & FLAG_TWO_WAY) !== 0,
    isEvent: (flag & FLAG_EVENT) !== 0,
    serializationId: flag & SERIALIZATION_MASK,
    status: source[offset + 3] ?? 0,
    requestId: readRequestId(source, offset + 4),
    bodyLength: source.readInt32BE(offset + 12),
  };
}
