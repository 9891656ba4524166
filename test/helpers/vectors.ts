import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../../tools/dubbo-env/java-fixtures.js';

export const VECTORS_DIR = path.join(repoRoot, 'test', 'fixtures', 'vectors');

export const TYPES = 'org.apache.dubbo.test.TypesService';
export const ECHO = 'org.apache.dubbo.test.EchoService';
export const FAIL = 'org.apache.dubbo.test.FailService';

/**
 * The shared 2.7 provider of the test environment does not export FailService; captures and tests
 * of FailService on 2.7 use a private provider started with `services: ['fail']`.
 */
export const needsPrivate27 = (c: CallCase): boolean => c.interface === FAIL;

/** One call, as the Java generic consumer makes it (JSON args) and as the Node client makes it. */
export interface CallCase {
  name: string;
  interface: string;
  version?: string;
  method: string;
  types: string[];
  /** Arguments for the Java CLI (JSON). */
  javaArgs: unknown[];
  /** The same arguments for the Node client (bigint where Java has a long beyond 2^53…). */
  nodeArgs: unknown[];
  /** The value the Node client must decode. */
  expected?: unknown;
  /** False when Dubbo's Java consumer refuses the call locally, so there is no traffic to capture. */
  capture?: false;
  /** Or the error it must reject with. */
  error?: { javaClass: string | RegExp; message?: string | RegExp; status?: number; errorName?: string };
}

const LONG_TEXT = 'dubbo-'.repeat(6000);

export const CALL_CASES: CallCase[] = [
  {
    name: 'echo',
    interface: ECHO,
    method: 'echo',
    types: ['java.lang.String'],
    javaArgs: ['hello dubbo'],
    nodeArgs: ['hello dubbo'],
    expected: 'hello dubbo',
  },
  {
    name: 'echo-astral',
    interface: ECHO,
    method: 'echo',
    types: ['java.lang.String'],
    javaArgs: ['emoji \u{1F600} clef \u{1D11E} han 中文 é'],
    nodeArgs: ['emoji \u{1F600} clef \u{1D11E} han 中文 é'],
    expected: 'emoji \u{1F600} clef \u{1D11E} han 中文 é',
  },
  {
    name: 'echo-chunked',
    interface: ECHO,
    method: 'echo',
    types: ['java.lang.String'],
    javaArgs: [LONG_TEXT],
    nodeArgs: [LONG_TEXT],
    expected: LONG_TEXT,
  },
  { name: 'ping-void', interface: ECHO, method: 'ping', types: [], javaArgs: [], nodeArgs: [], expected: null },
  { name: 'echoInt', interface: TYPES, method: 'echoInt', types: ['int'], javaArgs: [42], nodeArgs: [42], expected: 42 },
  {
    name: 'echoInt-min',
    interface: TYPES,
    method: 'echoInt',
    types: ['int'],
    javaArgs: [-2147483648],
    nodeArgs: [-2147483648],
    expected: -2147483648,
  },
  {
    name: 'echoLong',
    interface: TYPES,
    method: 'echoLong',
    types: ['long'],
    javaArgs: [1234567890123],
    nodeArgs: [1234567890123],
    expected: 1234567890123,
  },
  {
    name: 'echoLong-max',
    interface: TYPES,
    method: 'echoLong',
    types: ['long'],
    // The CLI's JSON goes through JSON.stringify: a decimal string, realized to long by the provider.
    javaArgs: ['9223372036854775807'],
    nodeArgs: [9223372036854775807n],
    expected: 9223372036854775807n,
  },
  {
    name: 'echoLong-2p53plus1',
    interface: TYPES,
    method: 'echoLong',
    types: ['long'],
    javaArgs: ['9007199254740993'],
    nodeArgs: [9007199254740993n],
    expected: 9007199254740993n,
  },
  {
    name: 'echoLongBoxed-null',
    interface: TYPES,
    method: 'echoLongBoxed',
    types: ['java.lang.Long'],
    javaArgs: [null],
    nodeArgs: [null],
    expected: null,
  },
  {
    name: 'echoDouble',
    interface: TYPES,
    method: 'echoDouble',
    types: ['double'],
    javaArgs: [3.14159],
    nodeArgs: [3.14159],
    expected: 3.14159,
  },
  { name: 'echoDouble-mill', interface: TYPES, method: 'echoDouble', types: ['double'], javaArgs: [2.5], nodeArgs: [2.5], expected: 2.5 },
  { name: 'echoFloat', interface: TYPES, method: 'echoFloat', types: ['float'], javaArgs: [1.1], nodeArgs: [1.1], expected: 1.1 },
  { name: 'echoBoolean', interface: TYPES, method: 'echoBoolean', types: ['boolean'], javaArgs: [true], nodeArgs: [true], expected: true },
  {
    name: 'echoString',
    interface: TYPES,
    method: 'echoString',
    types: ['java.lang.String'],
    javaArgs: ['text'],
    nodeArgs: ['text'],
    expected: 'text',
  },
  {
    name: 'echoDate',
    interface: TYPES,
    method: 'echoDate',
    types: ['java.util.Date'],
    javaArgs: [1700000000123],
    nodeArgs: [new Date(1700000000123)],
    expected: new Date(1700000000123),
  },
  {
    name: 'echoBigDecimal',
    interface: TYPES,
    method: 'echoBigDecimal',
    types: ['java.math.BigDecimal'],
    javaArgs: ['12345678901234567890.123456789'],
    nodeArgs: ['12345678901234567890.123456789'],
    expected: '12345678901234567890.123456789',
  },
  {
    name: 'echoBigInteger',
    interface: TYPES,
    method: 'echoBigInteger',
    types: ['java.math.BigInteger'],
    javaArgs: ['-123456789012345678901234567890'],
    nodeArgs: ['-123456789012345678901234567890'],
    expected: -123456789012345678901234567890n,
  },
  {
    name: 'echoEnum',
    interface: TYPES,
    method: 'echoEnum',
    types: ['org.apache.dubbo.test.Color'],
    javaArgs: ['GREEN'],
    nodeArgs: ['GREEN'],
    expected: 'GREEN',
  },
  {
    name: 'echoList',
    interface: TYPES,
    method: 'echoList',
    types: ['java.util.List'],
    javaArgs: [['a', 'b', 'c']],
    nodeArgs: [['a', 'b', 'c']],
    expected: ['a', 'b', 'c'],
  },
  {
    name: 'echoMap',
    interface: TYPES,
    method: 'echoMap',
    types: ['java.util.Map'],
    javaArgs: [{ k: 'v', n: 1, nested: { x: [1, 2] } }],
    nodeArgs: [{ k: 'v', n: 1, nested: { x: [1, 2] } }],
    expected: { k: 'v', n: 1, nested: { x: [1, 2] } },
  },
  {
    name: 'echoSet',
    interface: TYPES,
    method: 'echoSet',
    types: ['java.util.Set'],
    javaArgs: [[3, 1, 2]],
    nodeArgs: [new Set([3, 1, 2])],
    expected: [1, 2, 3],
  },
  {
    name: 'echoNested',
    interface: TYPES,
    method: 'echoNested',
    types: ['org.apache.dubbo.test.Order'],
    javaArgs: [{ id: 'o1', items: [{ sku: 's1', qty: 2, price: '9.99' }], meta: { k: 'v' } }],
    nodeArgs: [{ id: 'o1', items: [{ sku: 's1', qty: 2, price: '9.99' }], meta: { k: 'v' } }],
    expected: {
      class: 'org.apache.dubbo.test.Order',
      id: 'o1',
      items: [{ class: 'org.apache.dubbo.test.Item', sku: 's1', qty: 2, price: '9.99' }],
      meta: { k: 'v' },
    },
  },
  {
    name: 'echoNull',
    interface: TYPES,
    method: 'echoNull',
    types: ['java.lang.String'],
    javaArgs: [null],
    nodeArgs: [null],
    expected: null,
  },
  { name: 'returnNull', interface: TYPES, method: 'returnNull', types: [], javaArgs: [], nodeArgs: [], expected: null },
  {
    name: 'echoIntArray',
    interface: TYPES,
    method: 'echoIntArray',
    types: ['int[]'],
    javaArgs: [[1, 2, 3]],
    nodeArgs: [[1, 2, 3]],
    expected: [1, 2, 3],
  },
  {
    name: 'echoStringArray',
    interface: TYPES,
    method: 'echoStringArray',
    types: ['java.lang.String[]'],
    javaArgs: [['x', 'y']],
    nodeArgs: [['x', 'y']],
    expected: ['x', 'y'],
  },
  {
    name: 'echoLocalDateTime',
    interface: TYPES,
    method: 'echoLocalDateTime',
    types: ['java.time.LocalDateTime'],
    javaArgs: ['2024-01-02T03:04:05'],
    nodeArgs: ['2024-01-02T03:04:05'],
    expected: '2024-01-02T03:04:05',
  },
  { name: 'overloaded-int', interface: TYPES, method: 'overloaded', types: ['int'], javaArgs: [5], nodeArgs: [5], expected: 'int:5' },
  {
    name: 'overloaded-string',
    interface: TYPES,
    method: 'overloaded',
    types: ['java.lang.String'],
    javaArgs: ['x'],
    nodeArgs: ['x'],
    expected: 'String:x',
  },
  {
    name: 'overloaded-int-string',
    interface: TYPES,
    method: 'overloaded',
    types: ['int', 'java.lang.String'],
    javaArgs: [5, 'x'],
    nodeArgs: [5, 'x'],
    expected: 'int,String:5,x',
  },
  { name: 'overloaded-long', interface: TYPES, method: 'overloaded', types: ['long'], javaArgs: [7], nodeArgs: [7], expected: 'long:7' },
  {
    name: 'fail-checked',
    interface: FAIL,
    method: 'throwChecked',
    types: ['java.lang.String'],
    javaArgs: ['boom'],
    nodeArgs: ['boom'],
    error: { javaClass: 'org.apache.dubbo.test.BusinessException', message: 'boom', status: 20 },
  },
  {
    name: 'fail-runtime',
    interface: FAIL,
    method: 'throwRuntime',
    types: ['java.lang.String'],
    javaArgs: ['bad state'],
    nodeArgs: ['bad state'],
    error: { javaClass: 'java.lang.IllegalStateException', message: 'bad state', status: 20 },
  },
  {
    name: 'fail-provider-only',
    interface: FAIL,
    method: 'throwProviderOnly',
    types: ['java.lang.String'],
    javaArgs: ['hidden'],
    nodeArgs: ['hidden'],
    // 3.3 sends the provider-only class as is; 2.7's ExceptionFilter wraps it in a RuntimeException.
    error: {
      javaClass: /^(org\.apache\.dubbo\.test\.provider(27)?\.ProviderOnlyException|java\.lang\.RuntimeException)$/,
      message: /hidden/,
      status: 20,
    },
  },
  {
    name: 'no-such-method',
    // The 3.3 Java consumer rejects an unknown method of a known interface before sending anything.
    capture: false,
    interface: TYPES,
    method: 'noSuchMethod',
    types: ['java.lang.String'],
    javaArgs: ['x'],
    nodeArgs: ['x'],
    // GenericFilter's NoSuchMethodException, status 70 (3.x and 2.7 word it differently): MethodNotFoundError.
    error: {
      javaClass: 'org.apache.dubbo.rpc.RpcException',
      message:
        /^No such method (noSuchMethod in class interface org\.apache\.dubbo\.test\.TypesService|org\.apache\.dubbo\.test\.TypesService\.noSuchMethod\(java\.lang\.String\))$/,
      status: 70,
      errorName: 'MethodNotFoundError',
    },
  },
];

export interface VectorEntry {
  /** File name under test/fixtures/vectors (hex of one whole frame, header included). */
  file: string;
  case: string;
  direction: 'request' | 'response';
  /** 'dubbo3' (3.3.6) or 'dubbo27' (2.7.23): the provider that answered. */
  provider: 'dubbo3' | 'dubbo27';
  providerVersion: string;
  consumer: string;
  /** How the frame was obtained. */
  capturedWith: string;
  kind: 'call' | 'heartbeat' | 'readonly';
}

export interface VectorManifest {
  description: string;
  regenerate: string;
  vectors: VectorEntry[];
}

export function loadManifest(): VectorManifest | undefined {
  const file = path.join(VECTORS_DIR, 'vectors.json');
  if (!existsSync(file)) {
    return undefined;
  }
  return JSON.parse(readFileSync(file, 'utf8')) as VectorManifest;
}

export function loadVector(entry: Pick<VectorEntry, 'file'>): Buffer {
  return Buffer.from(readFileSync(path.join(VECTORS_DIR, entry.file), 'utf8').replace(/\s+/g, ''), 'hex');
}

export function callCase(name: string): CallCase {
  const found = CALL_CASES.find((c) => c.name === name);
  if (!found) {
    throw new Error(`no call case '${name}'`);
  }
  return found;
}
