import { Writable } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';
import { BatchedOutput } from '../../src/cli/BatchedOutput.js';

/** A stream that holds every write until `release()`, like a pipe nobody reads. */
function stalled(highWaterMark = 16) {
  const pending: Array<() => void> = [];
  const written: string[] = [];
  const stream = new Writable({
    highWaterMark,
    write(chunk: Buffer, _encoding, callback) {
      written.push(chunk.toString());
      pending.push(callback);
    },
  });
  return { stream, written, release: () => pending.splice(0).forEach((cb) => cb()) };
}

const settled = async (p: Promise<unknown>): Promise<boolean> => {
  let done = false;
  void p.then(() => (done = true));
  await new Promise((resolve) => setImmediate(resolve));
  return done;
};

describe('BatchedOutput', () => {
  it('writes what it gathered as one chunk', async () => {
    const { stream, written, release } = stalled(1024);
    const out = new BatchedOutput(stream, 1024);
    out.add('a\n');
    out.add('b\n');
    expect(out.size).toBe(4);
    await out.flush();
    expect(written).toEqual(['a\nb\n']);
    release();
  });

  it('waits for drain once the stream is full: never more than one chunk ahead', async () => {
    const { stream, written, release } = stalled(4);
    const out = new BatchedOutput(stream, 4);
    out.add('12345\n');
    const flushing = out.flush();
    expect(await settled(flushing)).toBe(false);
    release();
    expect(await settled(flushing)).toBe(true);
    expect(written).toEqual(['12345\n']);
  });

  it('cutOff releases a waiting flush and discards what comes after', async () => {
    const { stream, written } = stalled(4);
    const out = new BatchedOutput(stream, 4);
    out.add('stuck\n');
    const flushing = out.flush();
    out.cutOff();
    expect(await settled(flushing)).toBe(true);
    out.add('later\n');
    await out.finish();
    expect(written).toEqual(['stuck\n']);
  });

  it('finish waits until the last chunk reached the stream', async () => {
    const { stream, release } = stalled(1024);
    const out = new BatchedOutput(stream, 1024);
    out.add('x\n');
    const finishing = out.finish();
    expect(await settled(finishing)).toBe(false);
    release();
    expect(await settled(finishing)).toBe(true);
  });

  it('an EPIPE makes it gone: onGone once, waits end, text is discarded, nothing is thrown', async () => {
    const { stream, written } = stalled(4);
    const onGone = vi.fn();
    const out = new BatchedOutput(stream, 4, onGone);
    out.add('first\n');
    const flushing = out.flush();
    stream.destroy(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
    expect(await settled(flushing)).toBe(true);
    await new Promise((resolve) => setImmediate(resolve));
    expect(out.gone).toBe(true);
    expect(out.error?.code).toBe('EPIPE');
    expect(onGone).toHaveBeenCalledTimes(1);
    out.add('second\n');
    await out.finish();
    expect(written).toEqual(['first\n']);
    out.dispose();
  });
});
