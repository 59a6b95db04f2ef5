/**
Time, injected. The monitor loop, the series store and the analysis never read the system
clock themselves: they get a `Clock`, so a 24-hour run can be replayed in a test in
milliseconds and a wall-clock step (NTP) cannot stretch or shrink an interval.
*/

/** An opaque handle for a scheduled callback. */
export type TimerHandle = {readonly id: number};

/** A source of monotonic time, wall time and one-shot timers. */
export type Clock = {
	/** Monotonic milliseconds; only differences mean anything. */
	now(): number;
	/** Wall-clock milliseconds since the epoch, for labelling only. */
	wallNow(): number;
	/** Run `callback` once, `ms` from now. */
	setTimeout(callback: () => void, ms: number): TimerHandle;
	/** Cancel a callback that has not run yet. */
	clearTimeout(handle: TimerHandle): void;
};

/**
The real clock: `performance.now()` for intervals, `Date.now()` for labels.

The monitor keeps one timer pending at a time, re-armed from inside its own callback. That one
lives in a kept Node timer: asked again for the same delay, the clock refreshes it, and Node puts it
back in the list it just fired from, where a new timer each second costs a new timer object and a
new list. Timers asked for while it is pending get their own.
*/
export function systemClock(): Clock {
	const timers = new Map<number, NodeJS.Timeout>();
	let next = 0;
	const kept: TimerHandle = {id: 0};
	let keptTimer: NodeJS.Timeout | undefined;
	let keptMs = 0;
	let keptCallback: (() => void) | undefined;
	const fireKept = (): void => {
		const callback = keptCallback;
		keptCallback = undefined;
		callback?.();
	};

	return {
		now: () => performance.now(),
		wallNow: () => Date.now(),
		setTimeout(callback, ms) {
			// Node waits at least 1 ms.
			const delay = Math.max(1, Math.ceil(ms));
			if (keptCallback === undefined) {
				keptCallback = callback;
				if (keptTimer && keptMs === delay) {
					keptTimer.refresh();
				} else {
					if (keptTimer) {
						clearTimeout(keptTimer);
					}

					keptTimer = setTimeout(fireKept, delay);
					keptMs = delay;
				}

				return kept;
			}

			const id = ++next;
			timers.set(id, setTimeout(() => {
				timers.delete(id);
				callback();
			}, delay));
			return {id};
		},
		clearTimeout(handle) {
			if (handle === kept) {
				keptCallback = undefined;
				if (keptTimer) {
					clearTimeout(keptTimer);
					keptTimer = undefined;
				}

				return;
			}

			const timer = timers.get(handle.id);
			if (timer) {
				clearTimeout(timer);
				timers.delete(handle.id);
			}
		},
	};
}

/** A clock that only moves when told to; for tests and replays. */
export class FakeClock implements Clock {
	#now: number;
	#wallOffset: number;
	#timers: Array<{id: number; due: number; callback: () => void}> = [];
	#next = 0;

	constructor(start = 0, wallStart = Date.UTC(2026, 0, 1)) {
		this.#now = start;
		this.#wallOffset = wallStart - start;
	}

	now(): number {
		return this.#now;
	}

	wallNow(): number {
		return this.#now + this.#wallOffset;
	}

	/** Step the wall clock alone, as NTP would. */
	stepWall(ms: number): void {
		this.#wallOffset += ms;
	}

	/**
	Fire each timer this much before its due time, as Node's millisecond timers can (a delay no
	longer than this fires on time, so a wait for the rest ends).
	*/
	firesEarlyMs = 0;

	setTimeout(callback: () => void, ms: number): TimerHandle {
		const id = ++this.#next;
		this.#timers.push({id, due: this.#now + Math.max(0, ms > this.firesEarlyMs ? ms - this.firesEarlyMs : ms), callback});
		return {id};
	}

	clearTimeout(handle: TimerHandle): void {
		this.#timers = this.#timers.filter(timer => timer.id !== handle.id);
	}

	/** Number of callbacks waiting. */
	get pending(): number {
		return this.#timers.length;
	}

	/**
	Move time forward by `ms`, running every callback that falls due, in order, and letting
	promises settle after each one.
	*/
	async advance(ms: number): Promise<void> {
		const target = this.#now + ms;
		for (;;) {
			await settle();
			this.#timers.sort((a, b) => a.due - b.due || a.id - b.id);
			const first = this.#timers[0];
			if (!first || first.due > target) {
				break;
			}

			this.#timers.shift();
			this.#now = Math.max(this.#now, first.due);
			first.callback();
		}

		this.#now = Math.max(this.#now, target);
		await settle();
	}

	/** Move time on without running timers: work that blocks the loop (a slow read). */
	jump(ms: number): void {
		this.#now += ms;
	}
}

async function settle(): Promise<void> {
	// A macrotask turn lets every pending microtask (an async sampler, a write) run first.
	await new Promise<void>(resolve => {
		setImmediate(resolve);
	});
}
