/**
 * The workloads every contestant runs against the Java fixture provider (Dubbo 3.3), and their
 * payloads. Generic callers pass the Java type names below; typed callers (the other Node clients)
 * send the same values with explicit Hessian types.
 */

export const ECHO_SERVICE = 'org.apache.dubbo.test.EchoService';
export const USER_SERVICE = 'org.apache.dubbo.test.UserService';
export const SERVICE_VERSION = '1.0.0';
export const USER_CLASS = 'org.apache.dubbo.test.User';
export const USER_STATUS_CLASS = 'org.apache.dubbo.test.UserStatus';

export type Workload = 'echo' | 'user' | 'bytes';
export const WORKLOADS: readonly Workload[] = ['echo', 'user', 'bytes'];

export interface WorkloadSpec {
  /** Name shown in the table. */
  label: string;
  service: string;
  method: string;
  parameterTypes: string[];
}

export const SPECS: Record<Workload, WorkloadSpec> = {
  echo: { label: 'echo 100 B string', service: ECHO_SERVICE, method: 'echo', parameterTypes: ['java.lang.String'] },
  // create(User) with a fixed non-zero id replaces one entry: the provider's state does not grow.
  user: { label: 'User POJO round trip', service: USER_SERVICE, method: 'create', parameterTypes: [USER_CLASS] },
  bytes: { label: 'byte[] 16 KB', service: ECHO_SERVICE, method: 'echoBytes', parameterTypes: ['byte[]'] },
};

export const ECHO_TEXT = makeText(100);
export const BYTES = makeBytes(16 * 1024);

export function makeText(length: number): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  let s = '';
  for (let i = 0; i < length; i++) {
    s += alphabet[i % alphabet.length];
  }
  return s;
}

export function makeBytes(length: number): Buffer {
  const b = Buffer.allocUnsafe(length);
  for (let i = 0; i < length; i++) {
    b[i] = (i * 31 + 7) & 0xff;
  }
  return b;
}

export const USER_FIELDS = {
  id: 42,
  name: 'Ada Lovelace',
  age: 36,
  createdAt: new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 678)),
  tags: ['alpha', 'beta', 'gamma', 'delta'],
  attrs: { team: 'core', region: 'eu-west', tier: 'gold' },
  status: 'ACTIVE',
  balance: '1234.56',
} as const;

/** The User as a Java generic caller passes a POJO: a map with a `class` entry (PojoUtils form). */
export function userGenericArg(): Record<string, unknown> {
  const u = USER_FIELDS;
  return {
    class: USER_CLASS,
    id: u.id,
    name: u.name,
    age: u.age,
    createdAt: new Date(u.createdAt.getTime()),
    tags: [...u.tags],
    attrs: { ...u.attrs },
    status: u.status,
    balance: u.balance,
  };
}

/** The User as typed Hessian (hessian.js `{ $class, $ }` wrappers), for clients that call typed methods. */
export function userTypedArg(): unknown {
  const u = USER_FIELDS;
  return {
    $class: USER_CLASS,
    $: {
      id: { $class: 'long', $: u.id },
      name: { $class: 'java.lang.String', $: u.name },
      age: { $class: 'int', $: u.age },
      createdAt: new Date(u.createdAt.getTime()),
      tags: { $class: 'java.util.ArrayList', $: [...u.tags] },
      attrs: { $class: 'java.util.HashMap', $: { ...u.attrs } },
      status: { $class: USER_STATUS_CLASS, $: { name: u.status } },
      balance: { $class: 'java.math.BigDecimal', $: { value: u.balance } },
    },
  };
}

/** The argument list of each workload for generic callers. */
export function genericArgs(workload: Workload): unknown[] {
  switch (workload) {
    case 'echo':
      return [ECHO_TEXT];
    case 'user':
      return [userGenericArg()];
    default:
      return [BYTES];
  }
}

/** The same arguments as the Java consumer CLI takes them (JSON; a string for byte[] is base64). */
export function javaArgs(workload: Workload): unknown[] {
  switch (workload) {
    case 'echo':
      return [ECHO_TEXT];
    case 'user': {
      const u = USER_FIELDS;
      return [{ ...u, createdAt: u.createdAt.getTime(), tags: [...u.tags], attrs: { ...u.attrs } }];
    }
    default:
      return [BYTES.toString('base64')];
  }
}

function bytesOf(value: unknown): Buffer | undefined {
  if (Buffer.isBuffer(value)) {
    return value;
  }
  if (value instanceof Uint8Array) {
    return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  }
  return undefined;
}

/** Cheap per-call check of a result. */
export function quickCheck(workload: Workload, result: unknown): boolean {
  switch (workload) {
    case 'echo':
      return result === ECHO_TEXT;
    case 'user':
      return typeof result === 'object' && result !== null && (result as { name?: unknown }).name === USER_FIELDS.name;
    default: {
      const b = bytesOf(result);
      return b !== undefined && b.length === BYTES.length && b[b.length - 1] === BYTES[BYTES.length - 1];
    }
  }
}

function text(value: unknown): string {
  if (typeof value === 'object' && value !== null) {
    const v = value as Record<string, unknown>;
    // enum / BigDecimal as hessian.js decodes them ({ name } / { value }), or plain strings.
    if (typeof v['name'] === 'string') {
      return v['name'];
    }
    if (typeof v['value'] === 'string') {
      return v['value'];
    }
  }
  return String(value);
}

/** Full check before the clock starts: null when the result is right, else what is wrong. */
export function deepCheck(workload: Workload, result: unknown): string | null {
  if (workload === 'echo') {
    return result === ECHO_TEXT ? null : `echo mismatch: ${JSON.stringify(result)?.slice(0, 120)}`;
  }
  if (workload === 'bytes') {
    const b = bytesOf(result);
    return b !== undefined && b.equals(BYTES) ? null : `byte[] mismatch (${b?.length ?? typeof result})`;
  }
  if (typeof result !== 'object' || result === null) {
    return `User expected, got ${typeof result}`;
  }
  const r = result as Record<string, unknown>;
  const u = USER_FIELDS;
  const problems: string[] = [];
  if (Number(r['id']) !== u.id) {
    problems.push(`id=${String(r['id'])}`);
  }
  if (r['name'] !== u.name) {
    problems.push(`name=${String(r['name'])}`);
  }
  if (r['age'] !== u.age) {
    problems.push(`age=${String(r['age'])}`);
  }
  const created = r['createdAt'];
  if (!(created instanceof Date) || created.getTime() !== u.createdAt.getTime()) {
    problems.push(`createdAt=${String(created)}`);
  }
  if (!Array.isArray(r['tags']) || r['tags'].join(',') !== u.tags.join(',')) {
    problems.push(`tags=${JSON.stringify(r['tags'])}`);
  }
  const attrs = r['attrs'] as Record<string, unknown> | undefined;
  if (!attrs || Object.entries(u.attrs).some(([k, v]) => (attrs instanceof Map ? attrs.get(k) : attrs[k]) !== v)) {
    problems.push(`attrs=${JSON.stringify(attrs)}`);
  }
  if (text(r['status']) !== u.status) {
    problems.push(`status=${JSON.stringify(r['status'])}`);
  }
  if (text(r['balance']) !== u.balance) {
    problems.push(`balance=${JSON.stringify(r['balance'])}`);
  }
  return problems.length > 0 ? `User mismatch: ${problems.join('; ')}` : null;
}
