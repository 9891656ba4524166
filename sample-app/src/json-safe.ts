/**
 * Makes a decoded Dubbo value safe for JSON.stringify: a bigint (a Java long outside ±2^53, or a
 * BigInteger) becomes its decimal string, Map and Set become an object and an array, a Buffer
 * (byte[]) becomes base64. Dates are left to their toJSON (ISO text).
 */
export function toJsonSafe(value: unknown, seen: WeakSet<object> = new WeakSet()): unknown {
  if (typeof value === 'bigint') {
    return value.toString();
  }
  if (value === null || typeof value !== 'object' || value instanceof Date) {
    return value;
  }
  if (Buffer.isBuffer(value)) {
    return value.toString('base64');
  }
  if (seen.has(value)) {
    return '[circular]';
  }
  seen.add(value);
  try {
    if (Array.isArray(value)) {
      return value.map((item) => toJsonSafe(item, seen));
    }
    if (value instanceof Set) {
      return [...value].map((item) => toJsonSafe(item, seen));
    }
    const entries = value instanceof Map ? [...value.entries()] : Object.entries(value);
    const out: Record<string, unknown> = {};
    for (const [key, item] of entries) {
      Object.defineProperty(out, String(key), { value: toJsonSafe(item, seen), enumerable: true, writable: true, configurable: true });
    }
    return out;
  } finally {
    seen.delete(value);
  }
}
