/**
The display's hold: what the screen, partial reports, `--json` and metrics show of the verdicts the
pipeline gives as a run goes on (a decided verdict only once it has held; taken back at once).
*/
import type {Verdict} from './types.js';

/**
How long a decided verdict must hold before it is shown: a tenth of the run so far, between one
and ten minutes. A verdict that flickers on for a minute or two and off again tells a user
nothing true (on the real corpus: 88 verdict changes and 35 wrong minutes without it, 20 and 1
with it), and a verdict worth acting on in an hour's run has held for six minutes.
*/
export function confirmMs(atMs: number): number {
	return Math.min(10 * 60_000, Math.max(60_000, 0.1 * atMs));
}

/**
Evaluations without a verdict are let pass while fewer in a row than a verdict needs to be shown
(two of three), each within PASSING_MS of the one before: a bound a hair over a band's edge now and
then (a PHP cache's upper bound read 0.54, 1.36, 0.53 MiB/h five seconds apart, at minute 16) took
an acceptable back, and the confirmation then hid it for a tenth of the run. The third in a
row takes it back, so a verdict outlives its evidence by two evaluations at most: 10 s at first,
two minutes at the longest cadence. An evaluation that bears out another verdict takes it back
at once, as before.
*/
const PASSING_MS = 60_000;

const leaky = (verdict: Verdict): boolean => verdict === 'warning' || verdict === 'failure' || verdict === 'leak';

/**
What the screen, partial reports, `--json` and metrics show. A decided verdict is shown only once
it has held for `needed` consecutive evaluations (or twice, 30 s or more apart, when evaluations
are read rarely) and for `confirm(run time)` since it first appeared; until then the screen says
"looks X, confirming". It is taken back at the first evaluation that bears out another verdict,
or at the third in a row without one (PASSING_MS), so a shown verdict does not outlive its
evidence (`dropped` then says which it was) — to what that evaluation still bears out: a failure
the next evaluation calls a warning or a leak of unknown band is shown as a leak (both say more
than the lower band edge), not as undecided. The verdict taken back, borne out again within the
time a confirmation lasts, is shown again once it has held for `needed` evaluations. The final
report reads the pipeline directly: a run's end needs no confirmation.
*/
export class VerdictHold {
	readonly needed: number;
	readonly #holdMs: number;
	readonly #confirm: (atMs: number) => number;
	#candidate: Verdict = 'undecided';
	#count = 0;
	#since = 0;
	#at = 0;
	#shown: Verdict = 'undecided';
	#dropped: Verdict | undefined;
	#droppedAt = 0;
	/** Evaluations without a verdict let pass in a row (see PASSING_MS). */
	#passed = 0;

	/** `holdMs`: a verdict seen at least twice over this much run time also counts as held (evaluations read rarely, as by `--print-every 5m`). */
	constructor(needed = 3, holdMs = 30_000, confirm: (atMs: number) => number = confirmMs) {
		this.needed = needed;
		this.#holdMs = holdMs;
		this.#confirm = confirm;
	}

	/** Feed a fresh verdict (at `atMs` of run time); returns the one to show. */
	update(verdict: Verdict, atMs = 0): Verdict {
		const previousAt = this.#at;
		this.#at = atMs;
		this.#passed = verdict === 'undecided' && this.#shown !== 'undecided' && this.#passed < this.needed - 1 && atMs - previousAt <= PASSING_MS ? this.#passed + 1 : 0;
		if (this.#passed > 0) {
			if (this.#candidate !== this.#shown) {
				// A verdict being confirmed starts again, as without a shown one.
				this.#candidate = 'undecided';
				this.#count = 0;
			}

			return this.#shown;
		}

		if (verdict === this.#candidate) {
			this.#count++;
		} else {
			this.#candidate = verdict;
			this.#count = 1;
			this.#since = atMs;
		}

		if (verdict !== this.#shown && this.#shown !== 'undecided' && !(this.#shown === 'leak' && leaky(verdict))) {
			if (leaky(this.#shown) && leaky(verdict)) {
				// Warning, failure and leak all say "above the lower band edge": a change among them
				// keeps that, shown as a leak whose band is not known yet, not as nothing known. The band
				// shown before is taken back, so it comes back as a verdict taken back does: a Python
				// server leaking 21 MiB/h read LEAK beside bounds of 20…31 MiB/h for minutes after one
				// evaluation in its flicker said "leak", its FAILURE waiting for a new confirmation.
				this.#dropped = this.#shown;
				this.#droppedAt = atMs;
				this.#shown = 'leak';
			} else {
				this.#dropped = this.#shown;
				this.#droppedAt = atMs;
				this.#shown = 'undecided';
			}
		}

		const held = (this.#count >= this.needed || (this.#count >= 2 && atMs - this.#since >= this.#holdMs)) && atMs - this.#since >= this.#confirmFor(atMs);
		if (verdict === 'undecided' || held) {
			if (verdict !== 'undecided') {
				this.#dropped = undefined;
			}

			this.#shown = verdict;
		}

		return this.#shown;
	}

	get shown(): Verdict {
		return this.#shown;
	}

	/** The last evaluation had no verdict but was let pass: the shown one stays for now (see PASSING_MS). */
	get passing(): boolean {
		return this.#passed > 0;
	}

	/** The decided verdict that was taken back most recently, until another is shown. */
	get dropped(): Verdict | undefined {
		return this.#dropped;
	}

	/** While a decided verdict is being confirmed: it, and about how long it still has to hold (ms). */
	get confirming(): {verdict: Verdict; remainingMs: number} | undefined {
		if (this.#candidate === 'undecided' || this.#candidate === this.#shown) {
			return undefined;
		}

		return {verdict: this.#candidate, remainingMs: Math.max(0, this.#confirmFor(this.#at) - (this.#at - this.#since))};
	}

	/**
	How long the candidate must hold: none beyond its evaluations when it is the verdict taken back
	last, back within the time a new one would need. That verdict held for a tenth of the run before
	it was shown; a few evaluations without it took it back, and a full confirmation again hid what
	the pipeline went on saying: a Ruby worker's acceptable, shown at minute 19, was taken back at
	minute 21 and not shown again before its recording ended at minute 30, the pipeline saying
	acceptable at every minute's end.
	*/
	#confirmFor(atMs: number): number {
		const confirm = this.#confirm(atMs);
		return this.#candidate === this.#dropped && this.#since - this.#droppedAt <= confirm ? 0 : confirm;
	}
}
