/**
 * The raw floor: not a client, a measuring stick. One request frame per workload is encoded once
 * (with this library's encoder, so the provider gets the very bytes the library sends); per call the
 * frame is copied, its request id patched, and written on one socket, writes of one event-loop turn
 * corked into one syscall. Replies are matched by the id in their header; only the first reply of a
 * workload is decoded (and checked in full by the harness), later ones are checked by status and
 * body length only. What is left is the provider + loopback: the most a Node client could get.
 */
import net from 'node:net';
import { join } from 'node:path';
import type * as FramesModule from '../../lib/protocol/frame-decoder.js';
import type * as EncoderModule from '../../lib/protocol/request-encoder.js';
import type * as DecoderModule from '../../lib/protocol/response-decoder.js';
import { buildDir } from '../lib/build.js';
import { type Adapter, argValue, serve } from '../lib/harness.js';
import { genericArgs, quickCheck, SERVICE_VERSION, SPECS, type Workload, WORKLOADS } from '../lib/workloads.js';

type Encoder = typeof EncoderModule;
type Decoder = typeof DecoderModule;
type Frames = typeof FramesModule;

const HEADER = 16;
const SLOT_BITS = 10;
const SLOTS = 1 << SLOT_BITS;

await serve('raw-floor', async (): Promise<Adapter> => {
  const { RequestEncoder } = (await import(join(buildDir, 'protocol', 'request-encoder.js'))) as Encoder;
  const { decodeResponse } = (await import(join(buildDir, 'protocol', 'response-decoder.js'))) as Decoder;
  const { FrameDecoder } = (await import(join(buildDir, 'protocol', 'frame-decoder.js'))) as Frames;
  const [host, port] = argValue('provider').split(':');
  const encoder = new RequestEncoder();
  const templates = new Map<Workload, Buffer>();
  for (const w of WORKLOADS) {
    const s = SPECS[w];
    templates.set(
      w,
      encoder.encode(
        0,
        { path: s.service, version: SERVICE_VERSION, method: s.method, parameterTypes: s.parameterTypes, args: genericArgs(w) },
        3000,
      ),
    );
  }

  const socket = net.connect({ host: host!, port: Number(port), noDelay: true });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  const resolvers: Array<((v: unknown) => void) | null> = new Array<null>(SLOTS).fill(null);
  const rejecters: Array<((e: unknown) => void) | null> = new Array<null>(SLOTS).fill(null);
  const slotWorkload: Workload[] = new Array<Workload>(SLOTS).fill('echo');
  const free: number[] = [];
  for (let i = SLOTS - 1; i >= 0; i--) {
    free.push(i);
  }
  const expectedLength = new Map<Workload, number>();
  let seq = 0;
  let corked = false;
  const uncork = (): void => {
    corked = false;
    socket.uncork();
  };
  const settle = (slot: number): [(v: unknown) => void, (e: unknown) => void] | undefined => {
    const resolve = resolvers[slot];
    const reject = rejecters[slot];
    if (!resolve || !reject) {
      return undefined;
    }
    resolvers[slot] = null;
    rejecters[slot] = null;
    free.push(slot);
    return [resolve, reject];
  };
  let pending: Buffer | null = null;
  socket.on('data', (chunk: Buffer) => {
    const buf = pending ? Buffer.concat([pending, chunk]) : chunk;
    let off = 0;
    while (buf.length - off >= HEADER) {
      const len = buf.readUInt32BE(off + 12);
      if (buf.length - off < HEADER + len) {
        break;
      }
      const flag = buf[off + 2]!;
      const status = buf[off + 3]!;
      const slot = buf.readUInt32BE(off + 8) & (SLOTS - 1);
      if ((flag & 0x20) === 0) {
        const fns = settle(slot);
        if (fns) {
          const w = slotWorkload[slot]!;
          const expected = expectedLength.get(w);
          if (status !== 20) {
            fns[1](new Error(`status ${status}`));
          } else if (expected === undefined) {
            // The first reply of a workload is decoded in full, by the library's own decoder.
            let frameOut: unknown;
            new FrameDecoder((frame) => {
              const d = decodeResponse(frame);
              frameOut = d.ok ? d.value : d.error;
            }).push(buf.subarray(off, off + HEADER + len));
            if (frameOut instanceof Error) {
              fns[1](frameOut);
            } else {
              expectedLength.set(w, len);
              fns[0](frameOut);
            }
          } else if (len === expected) {
            fns[0](true);
          } else {
            fns[1](new Error(`reply body of ${len} bytes, expected ${expected}`));
          }
        }
      }
      off += HEADER + len;
    }
    pending = off < buf.length ? buf.subarray(off) : null;
  });
  const failAll = (err: Error): void => {
    for (let s = 0; s < SLOTS; s++) {
      settle(s)?.[1](err);
    }
  };
  socket.on('error', failAll);
  socket.on('close', () => failAll(new Error('socket closed')));

  const send = (w: Workload): Promise<unknown> =>
    new Promise((resolve, reject) => {
      const slot = free.pop();
      if (slot === undefined) {
        reject(new Error('too many calls in flight'));
        return;
      }
      resolvers[slot] = resolve;
      rejecters[slot] = reject;
      slotWorkload[slot] = w;
      seq = (seq + 1) & 0x1fffff;
      const template = templates.get(w)!;
      const frame = Buffer.allocUnsafe(template.length);
      template.copy(frame);
      frame.writeUInt32BE(0, 4);
      frame.writeUInt32BE(((seq << SLOT_BITS) | slot) >>> 0, 8);
      if (!corked) {
        corked = true;
        socket.cork();
        setImmediate(uncork);
      }
      socket.write(frame);
    });
  return {
    mode: 'pre-encoded $invoke frames',
    calls: { echo: () => send('echo'), user: () => send('user'), bytes: () => send('bytes') },
    quickCheck: (w, r) => r === true || quickCheck(w, r),
    close: () => {
      socket.destroy();
    },
  };
});
