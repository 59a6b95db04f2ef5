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
	// A JVM: 8.3, 37.0, 39.5 (its last classes), then +1.
	expect(startupEnd(mib([8.3, 37, ...rise(39.5, 1, 14)]))).toBe(1);
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
