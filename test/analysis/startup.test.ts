import {expect, test} from 'vitest';
import {startupEnd} from '../../source/analysis/startup.js';

const MIB = 1024 * 1024;
/** A series in MiB, rounded to pages as RSS is. */
const mib = (values: readonly number[]): number[] => values.map(value => Math.round(value * MIB / 4096) * 4096);
/** `n` samples rising by `step` MiB each from `from`. */
const rise = (from: number, step: number, n: number): number[] => Array.from({length: n}, (_, i) => from + (i * step));

test('the start-up steps of real runtimes, as memmon sampled them at 200 ms, end where the workload begins', () => {
	// Node 20 keeping 512 KiB a tenth of a second: 20.6 at exec, 39.4, then +1 MiB a sample.
	expect(startupEnd(mib([20.6, ...rise(39.4, 1, 15)]))).toBe(1);
	// Python: 3.2 at exec, 7.9, 13.7 (two samples of start-up), then +1.
	expect(startupEnd(mib([3.2, 7.9, ...rise(13.7, 1, 14)]))).toBe(2);
	// A JVM: 8.3, 37.0, 39.5 (its last classes: start-up too, 1.5 MiB above the workload's pace), then +1.
	expect(startupEnd(mib([8.3, 37, ...rise(39.5, 1, 14)]))).toBe(2);
});

test('a step two samples split is one, beside a workload growing half as fast as either half', () => {
	// Node 20 in CI at 100 ms, keeping 50 MiB a second: 20.4 at exec, 30.0, 45.0, then +5 a sample.
	// Neither half is four times the workload's rise; together they are 15 MiB above its pace.
	expect(startupEnd(mib([20.4, 30, ...rise(45, 5, 14)]))).toBe(2);
	// On a loaded machine the first sample came late, with Node mostly loaded: what is left is a step.
	expect(startupEnd(mib([37.8, 44.4, ...rise(46.5, 2, 14)]))).toBe(1);
	// The same fast workload with no start-up in view, its rises jittering by ±1.5 MiB: no step.
	const jitter = [1.5, -1.2, 0.8, -1.5, 1.1, -0.4, 1.4, -1, 0.3, -1.3, 1.2, -0.7, 0.9, -1.4, 0.6, 0];
	expect(startupEnd(mib(rise(45, 5, 16).map((value, i) => value + jitter[i]!)))).toBe(0);
});

test('no step: a straight line from the first sample, a flat process with jitter, a small start-up', () => {
	expect(startupEnd(mib(rise(40, 1, 16)))).toBe(0);
	expect(startupEnd(mib(rise(40, 6, 16)))).toBe(0);
	expect(startupEnd(mib(Array.from({length: 16}, (_, i) => 40 + ((i % 3) * 0.05))))).toBe(0);
	// A C program's 150 KiB of libraries: a few pages are no step.
	expect(startupEnd(mib([1.0, 1.15, ...Array.from({length: 14}, () => 1.15)]))).toBe(0);
});

test('a run that is mostly start-up, or too short to tell, keeps its first sample', () => {
	// Rises as large as the first all along: no sample is typical of anything after a step.
	expect(startupEnd(mib([10, 40, 70, 100, 130, 160]))).toBe(0);
	expect(startupEnd(mib([10, 40, 41]))).toBe(0);
	// At most four leading samples are start-up, and three are always left after it.
	expect(startupEnd(mib([1, 10, 20, 30, 40, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 60]))).toBe(4);
	expect(startupEnd(mib([1, 20, 21, 22]))).toBe(1);
});

test('only the first sixteen samples are read', () => {
	const head = mib([20, 40, 40, 40, 40, 40, 40, 40, 40, 40, 40, 40, 40, 40, 40, 40]);
	expect(startupEnd(head)).toBe(1);
	// Later rises as large as the step do not make it typical.
	expect(startupEnd([...head, ...mib(rise(60, 20, 30))])).toBe(1);
});

test('on a loaded machine a runtime\'s loading can take seconds: a step within the first two is start-up, a later one is not', () => {
	const at = (interval: number, n: number): number[] => Array.from({length: n}, (_, i) => i * interval);
	// Node on a busy CI runner, at 200 ms: 15 at exec, creeping, then loaded at 1.0 s and holding 1 MiB.
	const slow = mib([15, 16, 17, 18, 30, 46, ...rise(46.1, 0.1, 10)]);
	expect(startupEnd(slow, at(0.2, 16))).toBe(5);
	// Counted in samples alone, the step ends at the fourth: Δ read +16 MiB.
	expect(startupEnd(slow)).toBe(4);
	// At 1 s, two seconds are two samples: the window stays four samples.
	expect(startupEnd(slow, at(1, 16))).toBe(4);
	// A step 2.4 s in, at 200 ms, is the workload's.
	expect(startupEnd(mib([15, ...rise(15.05, 0.05, 11), 46, 46.1, 46.2, 46.3]), at(0.2, 16))).toBe(0);
});
