import { describe, expect, it } from '@jest/globals';
import { EventEmitter } from 'node:events';
import { Outbox, type OutboxSink } from '../../../lib/transport/outbox.js';

/** A socket stand-in: records writes; `full` makes write() report a full kernel buffer. */
class FakeSink extends EventEmitter implements OutboxSink {
  readonly writes: Buffer[] = [];
  full = false;

  write(data: Buffer): boolean {
    this.writes.push(data);
    return !this.full;
  }

  drain(): void {
    this.full = false;
    this.emit('drain');
  }
}

const frame = (text: string): Buffer => Buffer.from(text);
const nextTick = (): Promise<void> => new Promise((resolve) => process.nextTick(resolve));

describe('Outbox', () => {
  it('writes the frames of one tick as one buffer, in order, at the end of the tick', async () => {
    const out = new Outbox();
    const sink = new FakeSink();
    out.open(sink);
    out.enqueue(frame('a'));
    out.enqueue(frame('bb'));
    out.enqueue(frame('ccc'));
    expect(sink.writes).toEqual([]);
    expect(out.length).toBe(3);
    await nextTick();
    expect(sink.writes.map(String)).toEqual(['abbccc']);
    expect(out.length).toBe(0);
  });

  it('writes a lone frame as it is, without a copy', async () => {
    const out = new Outbox();
    const sink = new FakeSink();
    out.open(sink);
    const only = frame('only');
    out.enqueue(only);
    await nextTick();
    expect(sink.writes).toHaveLength(1);
    expect(sink.writes[0]).toBe(only);
  });

  it('one write per tick: frames of the next tick go in a second write', async () => {
    const out = new Outbox();
    const sink = new FakeSink();
    out.open(sink);
    out.enqueue(frame('1'));
    await nextTick();
    out.enqueue(frame('2'));
    out.enqueue(frame('3'));
    await nextTick();
    expect(sink.writes.map(String)).toEqual(['1', '23']);
  });

  it('holds frames while there is no sink (connecting); open() does not write, flush() then writes them once', async () => {
    const out = new Outbox();
    out.enqueue(frame('x'));
    out.enqueue(frame('y'));
    await nextTick();
    expect(out.length).toBe(2);
    const sink = new FakeSink();
    out.open(sink);
    expect(sink.writes).toEqual([]);
    out.flush();
    expect(sink.writes.map(String)).toEqual(['xy']);
    expect(out.length).toBe(0);
  });

  it('a full kernel buffer holds further frames until drain, then writes them as one', async () => {
    const out = new Outbox();
    const sink = new FakeSink();
    out.open(sink);
    sink.full = true;
    out.enqueue(frame('first'));
    await nextTick();
    expect(sink.writes.map(String)).toEqual(['first']);
    out.enqueue(frame('2'));
    out.enqueue(frame('3'));
    await nextTick();
    out.flush();
    expect(sink.writes).toHaveLength(1);
    expect(out.length).toBe(2);
    sink.drain();
    expect(sink.writes.map(String)).toEqual(['first', '23']);
    expect(out.length).toBe(0);
  });

  it('drop() forgets the frames and the sink: nothing more is written to it, its drain listener is gone', async () => {
    const out = new Outbox();
    const sink = new FakeSink();
    out.open(sink);
    expect(sink.listenerCount('drain')).toBe(1);
    out.enqueue(frame('lost'));
    out.drop();
    expect(out.length).toBe(0);
    expect(sink.listenerCount('drain')).toBe(0);
    await nextTick();
    out.enqueue(frame('later'));
    await nextTick();
    sink.drain();
    expect(sink.writes).toEqual([]);
    expect(out.length).toBe(1);
    out.drop();
  });

  it('open() on a new sink after a full one starts writable again, and leaves the old one', async () => {
    const out = new Outbox();
    const old = new FakeSink();
    out.open(old);
    old.full = true;
    out.enqueue(frame('a'));
    await nextTick();
    out.drop();
    const fresh = new FakeSink();
    out.open(fresh);
    out.enqueue(frame('b'));
    await nextTick();
    expect(fresh.writes.map(String)).toEqual(['b']);
    expect(old.writes.map(String)).toEqual(['a']);
    expect(old.listenerCount('drain')).toBe(0);
    expect(fresh.listenerCount('drain')).toBe(1);
    out.drop();
  });
});
