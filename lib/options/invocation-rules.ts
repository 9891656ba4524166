import { DubboConfigError } from '../errors/dubbo-config.error.js';
import { describeValue } from '../utils/describe-value.js';
import { unknownKeyMessage } from '../utils/nearest-key.js';

/**
 * The rules every invocation passes before anything is created, cached or sent. A gateway forwards
 * callers' JSON here, so each field is untrusted: a violation is one DubboConfigError whose `key`
 * names the field, and nothing else happens. README "Invocation rules" lists them.
 */

export const INVOCATION_LIMITS = Object.freeze({
  /** Service (interface) and method names, in characters. */
  maxNameLength: 256,
  /** Version and group, in characters. */
  maxVersionLength: 128,
  /** Java's own limit on a method's parameters. */
  maxParameters: 255,
  maxParameterTypeLength: 512,
  maxAttachments: 64,
  /** Keys plus values of the user attachments, in UTF-16 units. */
  maxAttachmentChars: 65536,
  maxAttachmentKeyLength: 256,
});

/**
 * Attachment keys the library sets itself or that the provider reads as instructions (its
 * ContextFilter strips them, GenericFilter/TokenFilter/TimeoutFilter read them): a caller setting
 * one could re-target the call, skip the token or change how arguments are deserialized.
 * Compared case-insensitively.
 */
export const RESERVED_ATTACHMENT_KEYS: readonly string[] = Object.freeze([
  'path',
  'interface',
  'version',
  'group',
  'generic',
  'timeout',
  '_TO',
  'timeout-countdown',
  'dubbo',
  'token',
  'async',
  'remote.application',
  'dubbo.tag',
  'dubbo.force.tag',
  'dubbo.stub.event',
  '_isCallBackServiceInvoke',
  'callback.service.instid',
  'sys_callback_arg-',
]);
const RESERVED = new Set(RESERVED_ATTACHMENT_KEYS.map((k) => k.toLowerCase()));

export const INVOCATION_KEYS: readonly string[] = Object.freeze([
  'service',
  'version',
  'group',
  'method',
  'parameterTypes',
  'args',
  'timeoutMs',
  'retries',
  'attachments',
  'signal',
]);
const KNOWN = new Set(INVOCATION_KEYS);

const JAVA_NAME = /^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*$/;
const METHOD_NAME = /^[A-Za-z_$][\w$]*$/;
/** `int`, `java.lang.String`, `java.lang.String[]`, `[I`, `[Ljava.lang.String;`. */
const PARAMETER_TYPE = /^(?:[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*(?:\[\])*|\[+(?:[BCDFIJSZ]|L[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*;))$/;
/** Dubbo's separators (`/` group, `:` version, `,` lists), URL syntax, whitespace and control characters. */
const VERSION_FORBIDDEN = /[/:,&=?#%\\\s\p{Cc}\p{Cf}]/u;
/** Group lists (`a,b`) are Dubbo syntax: the comma is allowed there. */
const GROUP_FORBIDDEN = /[/:&=?#%\\\s\p{Cc}\p{Cf}]/u;
const CONTROL = /[\p{Cc}\p{Cf}]/u;

const bad = (key: string, message: string): DubboConfigError => new DubboConfigError(key, message);

export function checkServiceName(service: unknown, key = 'service'): DubboConfigError | undefined {
  if (typeof service !== 'string' || service.length > INVOCATION_LIMITS.maxNameLength || !JAVA_NAME.test(service)) {
    return bad(
      key,
      `must be a Java interface name such as 'com.acme.UserService' (at most ${INVOCATION_LIMITS.maxNameLength} characters), got ${describeValue(service)}`,
    );
  }
  return undefined;
}

/** Version: absent, or free of Dubbo's separators, URL syntax and control characters. */
export function checkVersion(version: unknown, key = 'version'): DubboConfigError | undefined {
  if (version === undefined) {
    return undefined;
  }
  if (typeof version !== 'string' || version.length > INVOCATION_LIMITS.maxVersionLength || VERSION_FORBIDDEN.test(version)) {
    return bad(
      key,
      `must be a version such as '1.0.0' without '/', ':', ',', spaces or URL characters (at most ${INVOCATION_LIMITS.maxVersionLength}), got ${describeValue(version)}`,
    );
  }
  return undefined;
}

export function checkGroup(group: unknown, key = 'group'): DubboConfigError | undefined {
  if (group === undefined) {
    return undefined;
  }
  if (typeof group !== 'string' || group.length > INVOCATION_LIMITS.maxVersionLength || GROUP_FORBIDDEN.test(group)) {
    return bad(
      key,
      `must be a group name without '/', ':', spaces or URL characters (at most ${INVOCATION_LIMITS.maxVersionLength}), got ${describeValue(group)}`,
    );
  }
  return undefined;
}

/** Per-call deadline: the same range as the module's `defaults.timeoutMs` (setTimeout's own limit). */
export function checkTimeout(value: unknown, key = 'timeoutMs'): DubboConfigError | undefined {
  if (value === undefined) {
    return undefined;
  }
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 2 ** 31 - 1) {
    return bad(key, `must be an integer from 1 to ${2 ** 31 - 1} (ms), got ${describeValue(value)}`);
  }
  return undefined;
}

export function checkRetries(value: unknown, key = 'retries'): DubboConfigError | undefined {
  if (value === undefined) {
    return undefined;
  }
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 100) {
    return bad(key, `must be an integer from 0 to 100, got ${describeValue(value)}`);
  }
  return undefined;
}

function isAbortSignal(value: unknown): value is AbortSignal {
  if (value instanceof AbortSignal) {
    return true;
  }
  // A signal of another realm (a vm context, a polyfill) has the same shape.
  const s = value as Partial<AbortSignal> | null;
  return (
    typeof s === 'object' &&
    s !== null &&
    typeof s.aborted === 'boolean' &&
    typeof s.addEventListener === 'function' &&
    typeof s.removeEventListener === 'function'
  );
}

export function checkSignal(value: unknown): DubboConfigError | undefined {
  if (value === undefined || isAbortSignal(value)) {
    return undefined;
  }
  return bad('signal', `must be an AbortSignal, got ${describeValue(value)}`);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return false;
  }
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** User attachments: a plain object of strings, no reserved key, bounded in count and size. */
export function checkAttachments(value: unknown, key = 'attachments'): DubboConfigError | undefined {
  if (value === undefined) {
    return undefined;
  }
  if (!isPlainObject(value)) {
    return bad(key, `must be a plain object of string values, got ${describeValue(value)}`);
  }
  let count = 0;
  let chars = 0;
  for (const name in value) {
    if (!Object.prototype.hasOwnProperty.call(value, name)) {
      continue;
    }
    if (++count > INVOCATION_LIMITS.maxAttachments) {
      return bad(key, `has more than ${INVOCATION_LIMITS.maxAttachments} entries`);
    }
    const lower = name.toLowerCase();
    if (RESERVED.has(lower) || lower.startsWith('sys_callback_arg-')) {
      return bad(
        `${key}.${name}`,
        `is reserved: the library sets it or the provider reads it as an instruction (reserved: ${RESERVED_ATTACHMENT_KEYS.join(', ')}); use the call's own fields (service, version, group, timeoutMs) instead`,
      );
    }
    if (name.length === 0 || name.length > INVOCATION_LIMITS.maxAttachmentKeyLength || CONTROL.test(name)) {
      return bad(
        key,
        `has a key that is empty, longer than ${INVOCATION_LIMITS.maxAttachmentKeyLength} characters or has control characters: ${describeValue(name)}`,
      );
    }
    const v = value[name];
    if (typeof v !== 'string') {
      return bad(`${key}.${name}`, `must be a string (attachments are Java Strings), got ${describeValue(v)}`);
    }
    chars += name.length + v.length;
    if (chars > INVOCATION_LIMITS.maxAttachmentChars) {
      return bad(key, `is larger than ${INVOCATION_LIMITS.maxAttachmentChars} characters in all (keys and values)`);
    }
  }
  return undefined;
}

/** Per-call options (also the defaults given to a service handle). */
export function checkCallOptions(o: {
  timeoutMs?: unknown;
  retries?: unknown;
  attachments?: unknown;
  signal?: unknown;
}): DubboConfigError | undefined {
  return checkTimeout(o.timeoutMs) ?? checkRetries(o.retries) ?? checkAttachments(o.attachments) ?? checkSignal(o.signal);
}

function checkParameterTypes(types: unknown, args: readonly unknown[]): DubboConfigError | undefined {
  if (types === null) {
    return undefined;
  }
  if (!Array.isArray(types)) {
    return bad('parameterTypes', `must be an array of Java type names, one per argument, got ${describeValue(types)}`);
  }
  if (types.length !== args.length) {
    return bad('parameterTypes', `has ${types.length} types for ${args.length} args; they must match`);
  }
  for (let i = 0; i < types.length; i++) {
    const t: unknown = types[i];
    if (typeof t !== 'string' || t.length > INVOCATION_LIMITS.maxParameterTypeLength || !PARAMETER_TYPE.test(t)) {
      const generic = typeof t === 'string' && t.includes('<');
      return bad(
        `parameterTypes[${i}]`,
        generic
          ? `must be an erased Java type: write '${t.slice(0, t.indexOf('<'))}', not ${describeValue(t)}`
          : `must be a Java type name such as 'long', 'java.lang.String' or 'com.acme.User[]', got ${describeValue(t)}`,
      );
    }
  }
  return undefined;
}

/**
 * Every rule of an invocation; the first violation, or undefined. Unknown fields are refused too
 * (a typo such as `timeout` would otherwise be ignored silently).
 */
export function checkInvocation(inv: unknown): DubboConfigError | undefined {
  if (typeof inv !== 'object' || inv === null || Array.isArray(inv)) {
    return bad('invocation', `must be an object, got ${describeValue(inv)}`);
  }
  const o = inv as Record<string, unknown>;
  for (const name in o) {
    if (!KNOWN.has(name) && Object.prototype.hasOwnProperty.call(o, name)) {
      return bad(name, unknownKeyMessage(name, INVOCATION_KEYS));
    }
  }
  const args = o['args'];
  const method = o['method'];
  if (typeof method !== 'string' || method.length > INVOCATION_LIMITS.maxNameLength || !METHOD_NAME.test(method)) {
    return bad(
      'method',
      `must be a Java method name (at most ${INVOCATION_LIMITS.maxNameLength} characters), got ${describeValue(method)}`,
    );
  }
  if (!Array.isArray(args)) {
    return bad('args', `must be an array (one element per parameter), got ${describeValue(args)}`);
  }
  if (args.length > INVOCATION_LIMITS.maxParameters) {
    return bad('args', `has ${args.length} elements; a Java method takes at most ${INVOCATION_LIMITS.maxParameters}`);
  }
  return (
    checkServiceName(o['service']) ??
    checkVersion(o['version']) ??
    checkGroup(o['group']) ??
    checkParameterTypes(o['parameterTypes'], args) ??
    checkCallOptions(o)
  );
}
