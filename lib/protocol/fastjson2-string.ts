/**
 * The one string in the body of a non-OK reply from a Dubbo 3.2 provider whose channel prefers
 * fastjson2 (serialization id 23): Dubbo writes a 4-byte big-endian byte count, then the message as
 * a fastjson2 JSONB string value. Only what such a body holds is read here: a JSONB string.
 *
 * JSONB string forms (type byte, then for the variable forms a JSONB int with the byte count):
 * - 0x49–0x78: ISO-8859-1, 0–47 bytes, the count is in the type byte;
 * - 0x79 ISO-8859-1, 0x7a UTF-8, 0x7b UTF-16 (BOM, else big-endian), 0x7c UTF-16LE, 0x7d UTF-16BE,
 *   0x7e GB18030.
 * JSONB ints used as counts: 0xf0–0x2f one byte (−16…47); 0x30–0x3f two bytes, value
 * `((b0 − 0x38) << 8) + b1`; 0x40–0x47 three bytes, `((b0 − 0x44) << 16) + (b1 << 8) + b2`; 0x48
 * then a 4-byte big-endian int.
 */

export const FASTJSON2_SERIALIZATION_ID = 23;

const STR_FIX_MIN = 0x49;
const STR_FIX_MAX = 0x78;
const STR_LATIN1 = 0x79;
const STR_UTF8 = 0x7a;
const STR_UTF16 = 0x7b;
const STR_UTF16LE = 0x7c;
const STR_UTF16BE = 0x7d;
const STR_GB18030 = 0x7e;

/** A JSONB int at `at` (signed type byte): its value and the offset after it, or undefined. */
function readJsonbInt(bytes: Buffer, at: number): { value: number; next: number } | undefined {
  if (at >= bytes.length) {
    return undefined;
  }
  const type = bytes.readInt8(at);
  if (type >= -16 && type <= 47) {
    return { value: type, next: at + 1 };
  }
  if (type >= 0x30 && type <= 0x3f) {
    return at + 1 < bytes.length ? { value: ((type - 0x38) << 8) + bytes[at + 1]!, next: at + 2 } : undefined;
  }
  if (type >= 0x40 && type <= 0x47) {
    return at + 2 < bytes.length ? { value: ((type - 0x44) << 16) + bytes.readUInt16BE(at + 1), next: at + 3 } : undefined;
  }
  if (type === 0x48) {
    return at + 4 < bytes.length ? { value: bytes.readInt32BE(at + 1), next: at + 5 } : undefined;
  }
  return undefined;
}

function swapBytes(data: Buffer): Buffer {
  const copy = Buffer.from(data);
  return copy.swap16();
}

function decodeText(type: number, data: Buffer): string | undefined {
  switch (type) {
    case STR_LATIN1:
      return data.toString('latin1');
    case STR_UTF8:
      return data.toString('utf8');
    case STR_UTF16LE:
      return data.length % 2 === 0 ? data.toString('utf16le') : undefined;
    case STR_UTF16BE:
      return data.length % 2 === 0 ? swapBytes(data).toString('utf16le') : undefined;
    case STR_UTF16: {
      if (data.length % 2 !== 0) {
        return undefined;
      }
      // Java's UTF-16 charset: a byte-order mark decides, big-endian without one.
      if (data[0] === 0xff && data[1] === 0xfe) {
        return data.subarray(2).toString('utf16le');
      }
      const be = data[0] === 0xfe && data[1] === 0xff ? data.subarray(2) : data;
      return swapBytes(be).toString('utf16le');
    }
    case STR_GB18030:
      try {
        return new TextDecoder('gb18030').decode(data);
      } catch {
        return undefined;
      }
    default:
      return undefined;
  }
}

/**
 * Decodes a Dubbo fastjson2 body holding one string (length prefix + JSONB string). Returns
 * undefined when the bytes are anything else (null, another type, a symbol reference, truncated).
 */
export function decodeFastjson2String(body: Buffer): string | undefined {
  if (body.length < 5) {
    return undefined;
  }
  const declared = body.readInt32BE(0);
  if (declared < 1 || declared > body.length - 4) {
    return undefined;
  }
  const bytes = body.subarray(4, 4 + declared);
  const type = bytes[0]!;
  let start: number;
  let length: number;
  let encoding: number;
  if (type >= STR_FIX_MIN && type <= STR_FIX_MAX) {
    start = 1;
    length = type - STR_FIX_MIN;
    encoding = STR_LATIN1;
  } else if (type >= STR_LATIN1 && type <= STR_GB18030) {
    const count = readJsonbInt(bytes, 1);
    if (count === undefined) {
      return undefined;
    }
    start = count.next;
    length = count.value;
    encoding = type;
  } else {
    return undefined;
  }
  if (length < 0 || start + length > bytes.length) {
    return undefined;
  }
  return decodeText(encoding, bytes.subarray(start, start + length));
}
