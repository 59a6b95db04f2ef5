/**
The verdict a running session shows: the robust pipeline recomputed as often as its cost and the
run's length allow (the cheap figures every sample), and its verdict through the display's hold,
with a note saying why what is shown differs from what was just computed.
*/
import {assess, VerdictHold, withGrowth, withHoldWait, type AnalysisConfig, type Assessment} from './analysis/index.js';
import type {Clock} from './clock.js';
import type {SeriesStore} from './series.js';
import {formatDuration, formatMinutes} from './units.js';

/**
How often the robust verdict (milliseconds of CPU on a long run) is recomputed, in run time:
every `baseMs` at first; less often when the last one cost more than 0.025% of a core would allow
(`costMs` × 4000: every 10 s for 2.5 ms, every 30 s for 7.5 ms) or once the run is long (every
360th of it: every 10 s after an hour); at least once a minute and once per tenth of the run so
far, and in a run's first seconds once per half of it. A verdict that took a day to form does not
change in five seconds, but the rate of a run's first two seconds is no rate for its tenth: the
first full verdict, a few seconds in, comes from a handful of samples and costs the most (its code
not yet compiled: 6 ms for 12 samples, 0.2 ms after), and by that cost alone it stayed on screen
and in Prometheus for 25 s (in --plain, for 10 s by its 10-s base).
*/
export function verdictEveryMs(baseMs: number, elapsedMs: number, costMs = 0): number {
	return Math.max(Math.min(baseMs, elapsedMs / 2), Math.min(60_000, elapsedMs / 10, Math.max(costMs * 4000, elapsedMs / 360)));
}

/** While the verdict lacks points and the run has at most this many samples, it is recomputed with each one. */
const FEW_POINTS_SAMPLES = 2000;

/** Why the shown verdict differs from the fresh one: confirming a new one, or one taken back. */
export function heldNote(fresh: Assessment['growth'], hold: VerdictHold): string {
	const dropped = hold.dropped === undefined ? '' : `no longer ${hold.dropped}: `;
	if (fresh.verdict === 'undecided') {
		return `${dropped}${fresh.note ?? 'not yet known'}`;
	}

	// Taken back, then seen again: "looks acceptable again", not "no longer acceptable: looks acceptable".
	const looks = hold.dropped === fresh.verdict ? `looks ${fresh.verdict} again` : `${dropped}looks ${fresh.verdict}`;
	const remaining = hold.confirming?.remainingMs ?? 0;
	return `${looks}, confirming${remaining >= 30_000 ? `, about ${formatMinutes(remaining / 1000)} more` : ''}`;
}

/** The shown assessment of one run. */
export class ShownVerdict {
	readonly #analysis: AnalysisConfig;
	readonly #clock: Clock;
	readonly #baseMs: number;
	readonly #hold = new VerdictHold(3);
	/** The last robust verdict (before the hold) and when it was computed, ms of run time. */
	#robust: {growth: Assessment['growth']; at: number; costMs: number} | undefined;
	/** The last fresh growth that bore out the shown verdict: what is shown while the hold lets an evaluation without one pass. */
	#bearing: Assessment['growth'] | undefined;
	/** `--duration`: a wait that outlasts it is said to. */
	readonly #durationMs: number | undefined;

	constructor(analysis: AnalysisConfig, clock: Clock, baseMs: number, durationMs?: number) {
		this.#analysis = analysis;
		this.#clock = clock;
		this.#baseMs = baseMs;
		this.#durationMs = durationMs;
	}

	/**
	The assessment of `store` at `elapsedMs` of run time, its verdict as the hold shows it; a wait
	sure to pass `--duration` said so. Sure: not one that would end in time should the warm-up's
	estimate settle now (the demo, 35 minutes, decided at 29, was "about 55 min more, past this
	run's end" for its first three minutes).
	*/
	assess(store: SeriesStore, elapsedMs: number): Assessment {
		const shown = this.#assess(store, elapsedMs);
		const {growth} = shown;
		const least = growth.needMoreLeast ?? growth.needMore;
		if (this.#durationMs === undefined || growth.verdict !== 'undecided' || least === undefined || elapsedMs + (least * 1000) <= this.#durationMs) {
			return shown;
		}

		return {...shown, growth: {...growth, note: `${growth.note ?? 'not yet known'}, past this run's end at ${formatDuration(this.#durationMs)}`}};
	}

	#assess(store: SeriesStore, elapsedMs: number): Assessment {
		// The robust verdict at most every verdictEveryMs of run time (every sample when the
		// interval is longer): no reader needs a faster one, and each one costs milliseconds.
		// Short of points it is recomputed every time (it costs next to nothing then): a line of a
		// 3-second test must not say "need 11 more points" from its first sample to its last.
		const every = verdictEveryMs(this.#baseMs, elapsedMs, this.#robust?.costMs);
		const short = this.#robust?.growth.reason === 'few-points' && store.count <= FEW_POINTS_SAMPLES;
		const due = !this.#robust || short || elapsedMs - this.#robust.at >= every;
		const started = this.#clock.now();
		const assessed = assess(store, this.#analysis, due ? undefined : this.#robust!.growth);
		if (due) {
			this.#robust = {growth: assessed.growth, at: elapsedMs, costMs: this.#clock.now() - started};
		}

		// A time gate's wait on a screen counts the hold too.
		const fresh = {...assessed, growth: withHoldWait(assessed.growth, elapsedMs)};

		const shown = due ? this.#hold.update(fresh.growth.verdict, elapsedMs) : this.#hold.shown;
		if (shown === fresh.growth.verdict && shown !== 'undecided') {
			this.#bearing = fresh.growth;
		}

		// Let pass: the figures that bore the verdict out a moment ago, not bounds beside it that do not.
		if (this.#hold.passing && this.#bearing?.verdict === shown) {
			return withGrowth(fresh, this.#bearing, store, this.#analysis);
		}

		// The gates follow the verdict shown: a verdict gate does not read FAIL beside "confirming".
		return shown === fresh.growth.verdict ? fresh : withGrowth(fresh, {...fresh.growth, verdict: shown, note: heldNote(fresh.growth, this.#hold), reason: fresh.growth.reason ?? 'confirming'}, store, this.#analysis);
	}
}
