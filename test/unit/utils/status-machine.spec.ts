import { describe, expect, it } from '@jest/globals';
import { type DubboLogger } from '../../../lib/logging/logger.js';
import { StatusMachine, type StatusTransitions } from '../../../lib/utils/status-machine.js';

type Door = 'shut' | 'opening' | 'open' | 'gone';

const DOOR: StatusTransitions<Door> = {
  shut: ['opening', 'gone'],
  opening: ['open', 'shut', 'gone'],
  open: ['shut', 'gone'],
  gone: [],
};

function recorder(): DubboLogger & { lines: Array<[level: string, message: string]> } {
  const lines: Array<[string, string]> = [];
  return {
    lines,
    log: (m) => lines.push(['log', m]),
    warn: (m) => lines.push(['warn', m]),
    error: (m) => lines.push(['error', m]),
    debug: (m) => lines.push(['debug', m]),
  };
}

describe('StatusMachine', () => {
  it('moves, logs `label: from → to` at debug, and returns false when already there', () => {
    const logger = recorder();
    const m = new StatusMachine<Door>('shut', 'door 1', logger);
    expect(m.value).toBe('shut');
    expect(m.set('open')).toBe(true);
    expect(m.set('open')).toBe(false);
    expect(m.value).toBe('open');
    expect(logger.lines).toEqual([['debug', 'door 1: shut → open']]);
  });

  it('tells each listener the new status and the previous one; unsubscribe and clearListeners stop it', () => {
    const m = new StatusMachine<Door>('shut', 'door');
    const a: Array<[Door, Door]> = [];
    const b: Door[] = [];
    const offA = m.onChange((next, previous) => a.push([next, previous]));
    m.onChange((next) => b.push(next));
    m.set('opening');
    offA();
    m.set('open');
    m.clearListeners();
    m.set('shut');
    expect(a).toEqual([['opening', 'shut']]);
    expect(b).toEqual(['opening', 'open']);
  });

  it('a throwing listener is logged at error level and neither stops the move nor the other listeners', () => {
    const logger = recorder();
    const m = new StatusMachine<Door>('shut', 'door', logger);
    const seen: Door[] = [];
    m.onChange(() => {
      throw new Error('listener bug');
    });
    m.onChange((next) => seen.push(next));
    expect(m.set('open')).toBe(true);
    expect(m.value).toBe('open');
    expect(seen).toEqual(['open']);
    expect(logger.lines.filter(([level]) => level === 'error')).toEqual([['error', 'door status listener threw: listener bug']]);
  });

  it('without a table every move is allowed and none is reported', () => {
    const logger = recorder();
    const m = new StatusMachine<Door>('gone', 'door', logger);
    expect(m.allows('shut')).toBe(true);
    m.set('shut');
    m.set('gone');
    m.set('open');
    expect(m.value).toBe('open');
    expect(logger.lines.filter(([level]) => level === 'error')).toEqual([]);
  });

  it('with a table, allowed moves go through silently and allows() answers from the current status', () => {
    const logger = recorder();
    const m = new StatusMachine<Door>('shut', 'door', logger, DOOR);
    expect(m.allows('opening')).toBe(true);
    expect(m.allows('open')).toBe(false);
    m.set('opening');
    m.set('open');
    m.set('shut');
    m.set('gone');
    expect(m.allows('shut')).toBe(false);
    expect(logger.lines).toEqual([
      ['debug', 'door: shut → opening'],
      ['debug', 'door: opening → open'],
      ['debug', 'door: open → shut'],
      ['debug', 'door: shut → gone'],
    ]);
  });

  it('with a table, an illegal move is logged at error level naming what is allowed, and still made (never thrown)', () => {
    const logger = recorder();
    const m = new StatusMachine<Door>('shut', 'door', logger, DOOR);
    const seen: Array<[Door, Door]> = [];
    m.onChange((next, previous) => seen.push([next, previous]));
    expect(() => m.set('open')).not.toThrow();
    expect(m.value).toBe('open');
    expect(seen).toEqual([['open', 'shut']]);
    m.set('gone');
    m.set('shut');
    expect(logger.lines.filter(([level]) => level === 'error')).toEqual([
      ['error', 'door: illegal status move shut → open (allowed from shut: opening, gone)'],
      ['error', 'door: illegal status move gone → shut (allowed from gone: none)'],
    ]);
    expect(m.value).toBe('shut');
  });

  it('staying in place is not a move, so a table never reports it', () => {
    const logger = recorder();
    const m = new StatusMachine<Door>('gone', 'door', logger, DOOR);
    expect(m.set('gone')).toBe(false);
    expect(logger.lines).toEqual([]);
  });
});
