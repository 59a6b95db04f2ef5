/**
The monitor loop: sample k is due at start + k·interval on the injected monotonic clock. A late
tick does not pile up: the next one is the first due time still in the future, so a stall skips
samples instead of firing a burst. One self-scheduling timeout, never `setInterval`.
*/
import type {Clock, TimerHandle} from './clock.js';
import type {Reading, Sampler, TreeReading} from './sampler/types.js';

/** Why a run ended. */
export type EndReason =
	| {readonly kind: 'target-exited'}
	| {readonly kind: 'duration'}
	| {readonly kind: 'stopped'; readonly by: string};

/** What the loop tells its listener. */
export type MonitorListener = {
	/** A good sample at `elapsedMs` after the start. */
	onSample(reading: TreeReading, elapsedMs: number, index: number): void;
	/** A read that failed: a gap in the series. */
	onGap(error: string, elapsedMs: number): void;
	/** The loop has stopped; called once. */
	onEnd(reason: EndReason): void;
};

/** Options of the loop. */
export type MonitorOptions = {
	readonly clock: Clock;
	readonly sampler: Sampler;
	readonly intervalMs: number;
	/** A shorter interval for the run's first `untilMs` (the start-up cadence), then `intervalMs`. */
	readonly startup?: {readonly intervalMs: number; readonly untilMs: number} | undefined;
	readonly durationMs?: number | undefined;
	readonly listener: MonitorListener;
	/**
	Called just before each read: the workload's output read up to now, so a mark line it printed
	before this sample marks this sample, not one after it (a grid sample and the output's poll can
	fall due together on a loaded machine). A mark it adds is taken by this read.
	*/
	readonly beforeRead?: (() => void) | undefined;
};

/** How long a stop waits for a read under way. */
const END_WAIT_MS = 1000;
/** Marks in a burst are sampled no closer together than this. */
const MARK_GAP_MS = 100;

/** The sampling loop of one run. */
export class Monitor {
	readonly #options: MonitorOptions;
	#start = 0;
	#timer: TimerHandle | undefined;
	#ended = false;
	#started = false;
	#busy = false;
	#due = 0;
	#index = 0;
	/** Why the loop stopped, while the end waits for a read under way. */
	#endAfterRead: EndReason | undefined;
	/** When the last read began (ms since the start). */
	#lastRead = Number.NEGATIVE_INFINITY;
	/** The interval the next wait is on. */
	#step: number;
	/** Inside `beforeRead`: a mark's sampleNow waits for the read about to happen. */
	#beforeRead = false;

	constructor(options: MonitorOptions) {
		this.#options = options;
		this.#step = options.startup?.intervalMs ?? options.intervalMs;
	}

	/** Monotonic time the run started at. */
	get startedAt(): number {
		return this.#start;
	}

	/** Milliseconds since the start. */
	elapsed(): number {
		return this.#options.clock.now() - this.#start;
	}

	get ended(): boolean {
		return this.#ended;
	}

	/** Take the first sample now and schedule the rest. */
	start(): void {
		this.#start = this.#options.clock.now();
		this.#started = true;
		void this.#tick();
	}

	/**
	Take a sample now, off the grid, and go on from it: a mark is a moment, and on a 5-minute
	interval it would otherwise land up to five minutes late (or, pressed just before `q`, never).
	Nothing happens while a read is under way (its sample comes next anyway) or before the start;
	marks in a burst (a workload printing many mark lines) are sampled at most every 100 ms, unless
	`force` (the last mark before a stop).
	*/
	sampleNow(force = false): void {
		if (this.#ended || this.#busy || !this.#started || this.#beforeRead) {
			return;
		}

		if (this.#timer) {
			this.#options.clock.clearTimeout(this.#timer);
			this.#timer = undefined;
		}

		this.#due = Math.min(this.#due, force ? this.elapsed() : Math.max(this.elapsed(), this.#lastRead + MARK_GAP_MS));
		this.#tick();
	}

	/** Stop sampling; `onEnd` gets the reason. Safe to call more than once. */
	stop(reason: EndReason): void {
		if (this.#ended) {
			return;
		}

		this.#ended = true;
		if (this.#timer) {
			this.#options.clock.clearTimeout(this.#timer);
			this.#timer = undefined;
		}

		if (this.#busy) {
			// A read under way (the sample a last mark asked for) still counts: the end waits for it,
			// but never longer than a second.
			this.#endAfterRead = reason;
			this.#timer = this.#options.clock.setTimeout(() => this.#endNow(), END_WAIT_MS);
			return;
		}

		this.#options.listener.onEnd(reason);
	}

	#endNow(): void {
		const reason = this.#endAfterRead;
		this.#endAfterRead = undefined;
		if (this.#timer) {
			this.#options.clock.clearTimeout(this.#timer);
			this.#timer = undefined;
		}

		if (reason) {
			this.#options.listener.onEnd(reason);
		}
	}

	readonly #onTimer = (): void => {
		this.#tick();
	};

	#tick(): void {
		this.#timer = undefined;
		if (this.#ended || this.#busy) {
			return;
		}

		const {clock, sampler} = this.#options;
		const elapsed = clock.now() - this.#start;
		if (elapsed < this.#due) {
			// Node's timers run on the event loop's millisecond clock and can fire up to a
			// millisecond before the monotonic due time: wait out the rest, so a sample is never
			// stamped before it was due (a 1 s run must not end at 999 ms).
			this.#arm();
			return;
		}

		if (this.#options.beforeRead) {
			this.#beforeRead = true;
			try {
				this.#options.beforeRead();
			} finally {
				this.#beforeRead = false;
			}
		}

		this.#lastRead = elapsed;
		if (sampler.sampleSync) {
			let reading: Reading;
			try {
				reading = sampler.sampleSync();
			} catch (error) {
				reading = failedReading(error);
			}

			this.#afterRead(reading, elapsed);
			return;
		}

		this.#busy = true;
		void sampler.sample().catch(failedReading).then(reading => {
			this.#busy = false;
			this.#afterRead(reading, elapsed);
		});
	}

	/** What follows a read that began at `elapsed`: the listener, the end, the next due time. */
	#afterRead(reading: Reading, elapsed: number): void {
		if (this.#ended) {
			if (this.#endAfterRead && reading.kind === 'ok') {
				this.#options.listener.onSample(reading, elapsed, this.#index++);
			}

			this.#endNow();
			return;
		}

		const {clock, durationMs, listener, startup} = this.#options;
		const now = clock.now() - this.#start;
		if (reading.kind === 'gone') {
			this.stop({kind: 'target-exited'});
			return;
		}

		// Stamped with the time the read began, on the monotonic clock.
		if (reading.kind === 'ok') {
			listener.onSample(reading, elapsed, this.#index++);
		} else {
			listener.onGap(reading.error, elapsed);
		}

		if (this.#ended) {
			return;
		}

		if (durationMs !== undefined && elapsed >= durationMs) {
			this.stop({kind: 'duration'});
			return;
		}

		// The next due time strictly in the future; skipped ticks are not made up. The last sample
		// falls exactly on the duration, even when it is not a multiple of the interval. During the
		// start-up cadence the grid is its shorter interval; after it, the interval's own grid.
		const intervalMs = startup && now + startup.intervalMs < startup.untilMs ? startup.intervalMs : this.#options.intervalMs;
		this.#step = intervalMs;
		let due = (Math.floor(now / intervalMs) + 1) * intervalMs;
		if (due <= this.#due) {
			due = this.#due + intervalMs;
		}

		// A read that began a tick's slack before a grid point (a tick a stall held back almost a whole
		// interval) stands for it: no second read a millisecond later (a CI run wrote two at 0.6 s).
		if (due - elapsed < slackOf(intervalMs)) {
			due += intervalMs;
		}

		if (durationMs !== undefined && due > durationMs) {
			due = durationMs;
			if (due <= this.#due || elapsed >= durationMs) {
				this.stop({kind: 'duration'});
				return;
			}
		}

		this.#due = due;
		this.#arm();
	}

	#arm(): void {
		const {clock} = this.#options;
		const intervalMs = this.#step;
		let delay = this.#due - this.elapsed();
		// A wait a few milliseconds short of the interval asks for the whole interval: the sample
		// comes that much late (at most 1% of the interval, 10 ms), and the real clock re-arms the
		// timer it already has instead of building a new one each second (a new one is a new timer
		// object and list every second). The lateness adds up until it passes the slack; the
		// next wait is then the exact one, back on the grid.
		if (delay <= intervalMs && delay > intervalMs - slackOf(intervalMs)) {
			delay = intervalMs;
		}

		this.#timer = clock.setTimeout(this.#onTimer, delay);
	}
}

function failedReading(error: unknown): Reading {
	return {kind: 'failed', error: error instanceof Error ? error.message : String(error)};
}

/** How late a sample may come for the timer's sake: 1% of the interval, at most 10 ms. */
function slackOf(intervalMs: number): number {
	return Math.min(10, intervalMs / 100);
}
