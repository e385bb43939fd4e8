import { OcrProgressRecorder } from './ocr-progress.recorder';

describe('OcrProgressRecorder', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  function recorder() {
    const writes: [number, number][] = [];
    let release: (() => void) | null = null;
    const repo = {
      recordProgress: jest.fn((_id: string, pageCount: number, pagesDone: number) => {
        writes.push([pageCount, pagesDone]);
        return new Promise<void>((resolve) => (release = resolve));
      }),
    };
    const finish = async () => {
      release?.();
      release = null;
      await Promise.resolve();
      await Promise.resolve();
      await Promise.resolve();
    };
    return { rec: new OcrProgressRecorder(repo, 'doc-1', () => Date.now()), writes, finish };
  }

  it('writes the page count at once and coalesces page ticks into one write a second', async () => {
    const { rec, writes, finish } = recorder();
    rec.report({ pageCount: 60, pagesDone: 0 });
    expect(writes).toEqual([[60, 0]]);
    rec.report({ pageCount: 60, pagesDone: 1 });
    rec.report({ pageCount: 60, pagesDone: 2 });
    rec.report({ pageCount: 60, pagesDone: 3 });
    await finish();
    // The ticks wait for the interval, then only the latest is written.
    expect(writes).toEqual([[60, 0]]);
    jest.advanceTimersByTime(1000);
    expect(writes).toEqual([
      [60, 0],
      [60, 3],
    ]);
    await finish();
  });

  it('writes nothing more once stopped', async () => {
    const { rec, writes, finish } = recorder();
    rec.report({ pageCount: 5, pagesDone: 0 });
    rec.report({ pageCount: 5, pagesDone: 4 });
    const stopped = rec.stop();
    await finish();
    await stopped;
    jest.advanceTimersByTime(5000);
    expect(writes).toEqual([[5, 0]]);
  });

  it('only logs a failed write', async () => {
    const repo = { recordProgress: jest.fn().mockRejectedValue(new Error('db down')) };
    const rec = new OcrProgressRecorder(repo, 'doc-1');
    rec.report({ pageCount: 2, pagesDone: 0 });
    await expect(rec.stop()).resolves.toBeUndefined();
    expect(repo.recordProgress).toHaveBeenCalledTimes(1);
  });
});
