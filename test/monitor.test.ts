import {describe, expect, test} from 'vitest';
import {FakeClock} from '../source/clock.js';
import {Monitor, type EndReason} from '../source/monitor.js';
import type {Reading, Sampler} from '../source/sampler/types.js';

/** A sampler that reports the clock, can stall the clock, and can vanish. */
function fakeSampler(clock: FakeClock, script: {stallMs?: (index: number) => number; goneAt?: number; failAt?: number} = {}): Sampler & {calls: number} {
	const sampler = {
		calls: 0,
		async sample(): Promise<Reading> {
			const index = sampler.calls++;
			if (script.goneAt !== undefined && index >= script.goneAt) {
				return {kind: 'gone'};
			}

			if (script.failAt === index) {
				return {kind: 'failed', error: 'EIO'};
			}

			const stall = script.stallMs?.(index) ?? 0;
			if (stall > 0) {
				// The read itself takes time: the clock moves on while it runs.
				clock.jump(stall);
			}

			return {kind: 'ok', rss: 1000 + index, processes: []};
		},
		async system() {
			return undefined;
		},
		close() {},
	};
	return sampler;
}

function record(clock: FakeClock, sampler: Sampler, intervalMs: number, durationMs?: number, startup?: {intervalMs: number; untilMs: number}) {
	const times: number[] = [];
	const gaps: number[] = [];
	const ends: EndReason[] = [];
	const monitor = new Monitor({
		clock,
		sampler,
		intervalMs,
		startup,
		durationMs,
		listener: {
			onSample(_reading, at) {
				times.push(at);
			},
			onGap(_error, at) {
				gaps.push(at);
			},
			onEnd(reason) {
				ends.push(reason);
			},
		},
	});
	return {monitor, times, gaps, ends};
}

describe('Monitor', () => {
	test('the start-up cadence: every 200 ms for the first second, then on the 1-s grid', async () => {
		const clock = new FakeClock();
		const sampler = fakeSampler(clock);
		const {monitor, times} = record(clock, sampler, 1000, 3000, {intervalMs: 200, untilMs: 1000});
		monitor.start();
		await clock.advance(3500);
		expect(times).toEqual([0, 200, 400, 600, 800, 1000, 2000, 3000]);
	});

	test('sampleNow: a sample at once, off the grid, then back on it; a burst is sampled at most every 100 ms', async () => {
		const clock = new FakeClock();
		const {monitor, times} = record(clock, fakeSampler(clock), 60_000);
		monitor.sampleNow();
		expect(times).toEqual([]);
		monitor.start();
		await clock.advance(90_000);
		monitor.sampleNow();
		await clock.advance(0);
		monitor.sampleNow();
		await clock.advance(50);
		expect(times).toEqual([0, 60_000, 90_000]);
		await clock.advance(50);
		expect(times).toEqual([0, 60_000, 90_000, 90_100]);
		await clock.advance(60_000);
		expect(times).toEqual([0, 60_000, 90_000, 90_100, 120_000]);
	});

	test('a stop during a read waits for it (its sample counts), but never more than a second', async () => {
		const clock = new FakeClock();
		let release: ((reading: Reading) => void) | undefined;
		const slow = {...fakeSampler(clock), sample: async () => new Promise<Reading>(resolve => {
			release = resolve;
		})};
		const {monitor, times, ends} = record(clock, slow, 1000);
		monitor.start();
		monitor.stop({kind: 'stopped', by: 'q'});
		expect(ends).toEqual([]);
		release!({kind: 'ok', rss: 1, processes: []});
		await clock.advance(0);
		expect(times).toEqual([0]);
		expect(ends).toEqual([{kind: 'stopped', by: 'q'}]);

		const hung = record(clock, {...fakeSampler(clock), sample: async () => new Promise<Reading>(() => {})}, 1000);
		hung.monitor.start();
		hung.monitor.stop({kind: 'stopped', by: 'q'});
		await clock.advance(999);
		expect(hung.ends).toEqual([]);
		await clock.advance(1);
		expect(hung.ends).toEqual([{kind: 'stopped', by: 'q'}]);
	});

	test('samples at start + k·interval, without drift', async () => {
		const clock = new FakeClock(5000);
		const {monitor, times} = record(clock, fakeSampler(clock, {stallMs: () => 7}), 1000);
		monitor.start();
		await clock.advance(10_000);
		// Each read takes 7 ms, yet sample k still starts at k·1000 ms, or at most 10 ms (1%) after
		// it when the timer is re-armed for a whole interval: the lateness never adds up.
		expect(times).toHaveLength(11);
		for (const [k, at] of times.entries()) {
			expect(at - (k * 1000)).toBeGreaterThanOrEqual(0);
			expect(at - (k * 1000)).toBeLessThanOrEqual(10);
		}
	});

	test('reads that take longer than the slack keep every sample on its due time', async () => {
		const clock = new FakeClock(5000);
		const {monitor, times} = record(clock, fakeSampler(clock, {stallMs: () => 25}), 1000);
		monitor.start();
		await clock.advance(10_000);
		expect(times).toEqual([0, 1000, 2000, 3000, 4000, 5000, 6000, 7000, 8000, 9000, 10_000]);
	});

	test('a sampler that reads synchronously is read inside the timer callback, on the same grid', async () => {
		const clock = new FakeClock(5000);
		const asynchronous = fakeSampler(clock, {stallMs: () => 3});
		let syncReads = 0;
		const sampler = {
			...asynchronous,
			sample: async () => {
				throw new Error('the async read must not be used');
			},
			sampleSync() {
				syncReads++;
				clock.jump(3);
				return {kind: 'ok' as const, rss: 1000, processes: []};
			},
		};
		const {monitor, times} = record(clock, sampler, 1000);
		monitor.start();
		await clock.advance(5000);
		expect(syncReads).toBe(6);
		expect(times).toHaveLength(6);
		for (const [k, at] of times.entries()) {
			expect(at - (k * 1000)).toBeGreaterThanOrEqual(0);
			expect(at - (k * 1000)).toBeLessThanOrEqual(10);
		}
	});

	test('a stall skips ticks instead of firing a burst', async () => {
		const clock = new FakeClock();
		const {monitor, times} = record(clock, fakeSampler(clock, {stallMs: index => index === 2 ? 3500 : 0}), 1000);
		monitor.start();
		await clock.advance(8000);
		// The read due at 2000 ms ends at 5500 ms: 3000, 4000, 5000 are skipped, the next is at 6000.
		expect(times).toEqual([0, 1000, 2000, 6000, 7000, 8000]);
	});

	test('a tick a stall held back to just before the next grid point stands for it: no second read a moment later', async () => {
		const clock = new FakeClock();
		const {monitor, times} = record(clock, fakeSampler(clock), 1000);
		// At 1500 ms something blocks the loop until 2999.5: the tick due at 2000 fires then.
		clock.setTimeout(() => {
			clock.jump(1499.5);
		}, 1500);
		monitor.start();
		await clock.advance(5000);
		expect(times).toEqual([0, 1000, 2999.5, 4000, 5000]);
	});

	test('ends after the duration, with a final sample at the limit', async () => {
		const clock = new FakeClock();
		const {monitor, times, ends} = record(clock, fakeSampler(clock), 1000, 3500);
		monitor.start();
		await clock.advance(10_000);
		expect(times).toEqual([0, 1000, 2000, 3000, 3500]);
		expect(ends).toEqual([{kind: 'duration'}]);
		expect(clock.pending).toBe(0);
	});

	test('a timer that fires early waits out the rest: no sample before its due time', async () => {
		const clock = new FakeClock();
		clock.firesEarlyMs = 0.5;
		const {monitor, times, ends} = record(clock, fakeSampler(clock), 100, 1000);
		monitor.start();
		await clock.advance(2000);
		expect(times).toEqual([0, 100, 200, 300, 400, 500, 600, 700, 800, 900, 1000]);
		expect(ends).toEqual([{kind: 'duration'}]);
	});

	test('a vanished target ends the run and nothing more is recorded', async () => {
		const clock = new FakeClock();
		const sampler = fakeSampler(clock, {goneAt: 3});
		const {monitor, times, ends} = record(clock, sampler, 500);
		monitor.start();
		await clock.advance(5000);
		expect(times).toEqual([0, 500, 1000]);
		expect(ends).toEqual([{kind: 'target-exited'}]);
		expect(sampler.calls).toBe(4);
	});

	test('a failed read is a gap, and sampling goes on', async () => {
		const clock = new FakeClock();
		const {monitor, times, gaps} = record(clock, fakeSampler(clock, {failAt: 1}), 1000);
		monitor.start();
		await clock.advance(3000);
		expect(times).toEqual([0, 2000, 3000]);
		expect(gaps).toEqual([1000]);
	});

	test('stop ends it once and cancels the timer', async () => {
		const clock = new FakeClock();
		const {monitor, times, ends} = record(clock, fakeSampler(clock), 1000);
		monitor.start();
		await clock.advance(1500);
		monitor.stop({kind: 'stopped', by: 'q'});
		monitor.stop({kind: 'stopped', by: 'SIGINT'});
		await clock.advance(5000);
		expect(times).toEqual([0, 1000]);
		expect(ends).toEqual([{kind: 'stopped', by: 'q'}]);
		expect(clock.pending).toBe(0);
	});

	test('a wall-clock step changes nothing', async () => {
		const clock = new FakeClock();
		const {monitor, times} = record(clock, fakeSampler(clock), 1000);
		monitor.start();
		await clock.advance(2000);
		clock.stepWall(-3_600_000);
		await clock.advance(2000);
		expect(times).toEqual([0, 1000, 2000, 3000, 4000]);
	});

	test('beforeRead runs before every read; a mark it finds is taken by that read, not by an extra one', async () => {
		const clock = new FakeClock();
		const sampler = fakeSampler(clock);
		const order: string[] = [];
		const times: number[] = [];
		let monitor: Monitor | undefined;
		monitor = new Monitor({
			clock,
			sampler,
			intervalMs: 1000,
			beforeRead() {
				order.push(`output before read ${sampler.calls}`);
				if (sampler.calls === 2) {
					// The workload printed a mark line: a mark asks for a sample at once.
					monitor!.sampleNow();
				}
			},
			listener: {
				onSample(_reading, at) {
					order.push(`sample ${times.length}`);
					times.push(at);
				},
				onGap() {},
				onEnd() {},
			},
		});
		monitor.start();
		await clock.advance(3500);
		expect(times).toEqual([0, 1000, 2000, 3000]);
		expect(order).toEqual(['output before read 0', 'sample 0', 'output before read 1', 'sample 1', 'output before read 2', 'sample 2', 'output before read 3', 'sample 3']);
		monitor = undefined;
	});
});
