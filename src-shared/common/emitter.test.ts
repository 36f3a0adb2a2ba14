import { describe, expect, it } from 'vitest';
import { Emitter } from './emitter';
import { serial } from './serial';

describe('Emitter', () => {
  it('calls listeners in order until disposed; a listener removed by an earlier one is skipped, one added waits', () => {
    const e = new Emitter<number>();
    const seen: string[] = [];
    let later: { dispose(): void } | undefined;
    const b = { dispose: () => undefined };
    e.on((v) => {
      seen.push(`a${v}`);
      b.dispose();
      later ??= e.on((w) => seen.push(`later${w}`));
    });
    Object.assign(b, e.on((v) => seen.push(`b${v}`)));
    e.emit(1);
    e.emit(2);
    later!.dispose();
    e.emit(3);
    expect(seen).toEqual(['a1', 'a2', 'later2', 'a3']);
  });

  it('a throwing listener reaches the caller, or onError without stopping the others', () => {
    const plain = new Emitter();
    plain.on(() => {
      throw new Error('boom');
    });
    expect(() => plain.emit()).toThrow('boom');
    const errors: unknown[] = [];
    const guarded = new Emitter<string>((err) => errors.push(err));
    let reached = '';
    guarded.on(() => {
      throw new Error('first');
    });
    guarded.on((v) => (reached = v));
    guarded.emit('x');
    expect(reached).toBe('x');
    expect(errors.map((e) => (e as Error).message)).toEqual(['first']);
    guarded.clear();
    expect(guarded.size).toBe(0);
  });
});

describe('serial', () => {
  it('runs tasks one at a time in order; a failure rejects only its caller', async () => {
    const run = serial();
    const log: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const first = run(async () => {
      log.push('1 start');
      await gate;
      log.push('1 end');
      return 1;
    });
    const second = run(() => {
      log.push('2');
      throw new Error('two');
    });
    const third = run(async () => {
      log.push('3');
      return 3;
    });
    await Promise.resolve();
    expect(log).toEqual(['1 start']);
    release();
    expect(await first).toBe(1);
    await expect(second).rejects.toThrow('two');
    expect(await third).toBe(3);
    await run.idle();
    expect(log).toEqual(['1 start', '1 end', '2', '3']);
  });
});
