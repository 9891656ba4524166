/**
 * What a declared Java type allows: the parameter types of a call (and the `$class` of a typed
 * value) say what the provider will convert each value to. Values that would not survive that
 * conversion — an `int` given 2^40 arrives as 0, given 1.5 as 1; a `long` given NaN as 0 — are
 * refused before anything is sent. Types without a rule here are written as their JS value says.
 */
export const Kind = {
  Byte: 0,
  Short: 1,
  Int: 2,
  Long: 3,
  Float: 4,
  Double: 5,
  Boolean: 6,
  Char: 7,
  String: 8,
  BigDecimal: 9,
  BigInteger: 10,
  Array: 11,
  /** java.sql.Timestamp / Date / Time: sent as that class with a `value` date. */
  SqlDate: 12,
  Instant: 13,
  Duration: 14,
  Uuid: 15,
} as const;
export type Kind = (typeof Kind)[keyof typeof Kind];

export interface DeclaredType {
  readonly kind: Kind;
  /** Boxed types, String, arrays: null is a value. Primitives: it is not. */
  readonly nullable: boolean;
  /** The name as the caller wrote it, for messages. */
  readonly javaType: string;
  /** Element type of an array (`int[]`, `[I`, `[int`). */
  readonly element?: DeclaredType;
}

function scalar(kind: Kind, nullable: boolean, javaType: string): DeclaredType {
  return Object.freeze({ kind, nullable, javaType });
}

const SCALARS = new Map<string, DeclaredType>();
for (const [primitive, boxed, kind] of [
  ['byte', 'java.lang.Byte', Kind.Byte],
  ['short', 'java.lang.Short', Kind.Short],
  ['int', 'java.lang.Integer', Kind.Int],
  ['long', 'java.lang.Long', Kind.Long],
  ['float', 'java.lang.Float', Kind.Float],
  ['double', 'java.lang.Double', Kind.Double],
  ['boolean', 'java.lang.Boolean', Kind.Boolean],
  ['char', 'java.lang.Character', Kind.Char],
] as const) {
  SCALARS.set(primitive, scalar(kind, false, primitive));
  SCALARS.set(boxed, scalar(kind, true, boxed));
}
SCALARS.set('java.lang.String', scalar(Kind.String, true, 'java.lang.String'));
SCALARS.set('java.math.BigDecimal', scalar(Kind.BigDecimal, true, 'java.math.BigDecimal'));
SCALARS.set('java.math.BigInteger', scalar(Kind.BigInteger, true, 'java.math.BigInteger'));
for (const name of ['java.sql.Timestamp', 'java.sql.Date', 'java.sql.Time']) {
  SCALARS.set(name, scalar(Kind.SqlDate, true, name));
}
SCALARS.set('java.time.Instant', scalar(Kind.Instant, true, 'java.time.Instant'));
SCALARS.set('java.time.Duration', scalar(Kind.Duration, true, 'java.time.Duration'));
SCALARS.set('java.util.UUID', scalar(Kind.Uuid, true, 'java.util.UUID'));

/** JVM descriptors of primitive array elements (`[I`); byte[] and char[] travel as binary / string. */
const DESCRIPTORS: Record<string, string> = { I: 'int', J: 'long', S: 'short', F: 'float', D: 'double', Z: 'boolean' };
/** Element names Hessian gives arrays (`[int`, `[string`). */
const HESSIAN_ELEMENTS: Record<string, string> = {
  int: 'int',
  long: 'long',
  short: 'short',
  float: 'float',
  double: 'double',
  boolean: 'boolean',
  string: 'java.lang.String',
};

function arrayOf(element: DeclaredType | undefined, javaType: string): DeclaredType | undefined {
  return element === undefined ? undefined : Object.freeze({ kind: Kind.Array, nullable: true, javaType, element });
}

/** The rule for a Java type name, or undefined when values of it are not checked here. */
export function declaredType(javaType: string): DeclaredType | undefined {
  const known = SCALARS.get(javaType);
  if (known !== undefined) {
    return known;
  }
  if (javaType.endsWith('[]')) {
    const inner = javaType.slice(0, -2);
    // byte[] and char[] are not lists on the wire.
    return inner === 'byte' || inner === 'char' ? undefined : arrayOf(declaredType(inner), javaType);
  }
  if (javaType.startsWith('[')) {
    const rest = javaType.slice(1);
    if (rest.length === 1) {
      const primitive = DESCRIPTORS[rest];
      return primitive === undefined ? undefined : arrayOf(SCALARS.get(primitive), javaType);
    }
    if (rest.startsWith('L') && rest.endsWith(';')) {
      return arrayOf(declaredType(rest.slice(1, -1)), javaType);
    }
    const hessian = HESSIAN_ELEMENTS[rest];
    return arrayOf(declaredType(hessian ?? rest), javaType);
  }
  return undefined;
}

const INT_RANGE: Partial<Record<Kind, readonly [number, number]>> = {
  [Kind.Byte]: [-128, 127],
  [Kind.Short]: [-32768, 32767],
  [Kind.Int]: [-2147483648, 2147483647],
};

/** The inclusive range of an int-sized kind (byte, short, int). */
export function intRange(kind: Kind): readonly [number, number] | undefined {
  return INT_RANGE[kind];
}

export const INT64_MIN = -(2n ** 63n);
export const INT64_MAX = 2n ** 63n - 1n;
export const TWO_63 = 2 ** 63;
/** Largest finite float; a finite double beyond it becomes Infinity in Java. */
export const FLOAT_MAX = 3.4028234663852886e38;

const INTEGER_TEXT = /^[+-]?\d{1,20}$/;
const DECIMAL_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d{1,9})?$/;

/** An integer from a number, bigint or decimal integer string (JSON cannot carry 64-bit integers). */
export function integerOf(value: unknown): bigint | number | undefined {
  if (typeof value === 'number') {
    return Number.isInteger(value) ? value : undefined;
  }
  if (typeof value === 'bigint') {
    return value;
  }
  if (typeof value === 'string' && INTEGER_TEXT.test(value)) {
    return BigInt(value);
  }
  return undefined;
}

export function isDecimalText(value: string): boolean {
  return value.length <= 400 && DECIMAL_TEXT.test(value);
}
