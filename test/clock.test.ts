import {expect, test} from 'vitest';
import {systemClock} from '../source/clock.js';

test('the real clock re-arms its kept timer from its own callback, runs a second timer beside it, and cancels either', async () => {
	const clock = systemClock();
	const fired: string[] = [];
	await new Promise<void>(resolve => {
		let rounds = 0;
		const tick = (): void => {
			fired.push(`tick ${++rounds}`);
			if (rounds === 2) {
				// A second timer while the kept one is armed again below: its own timer.
				clock.setTimeout(() => fired.push('other'), 1);
				const cancelled = clock.setTimeout(() => fired.push('cancelled'), 2);
				clock.clearTimeout(cancelled);
			}

			if (rounds < 4) {
				// The same delay each time (the kept timer is refreshed), then a different one.
				clock.setTimeout(tick, rounds < 3 ? 20 : 5);
			} else {
				const stopped = clock.setTimeout(() => fired.push('never'), 5);
				clock.clearTimeout(stopped);
				setTimeout(resolve, 50);
			}
		};

		clock.setTimeout(tick, 20);
	});
	expect(fired).toEqual(['tick 1', 'tick 2', 'other', 'tick 3', 'tick 4']);
});

test('a kept timer waits at least the time asked', async () => {
	const clock = systemClock();
	const waits: number[] = [];
	await new Promise<void>(resolve => {
		let last = clock.now();
		const tick = (): void => {
			const now = clock.now();
			waits.push(now - last);
			last = now;
			if (waits.length < 5) {
				clock.setTimeout(tick, 15);
			} else {
				resolve();
			}
		};

		clock.setTimeout(tick, 15);
	});
	// Node's millisecond timers can fire up to a millisecond early on the monotonic clock.
	expect(Math.min(...waits)).toBeGreaterThanOrEqual(14);
});
