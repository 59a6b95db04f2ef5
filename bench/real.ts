/**
The real-process corpus (bench/real/), scored minute by minute: for every recording, the verdict
memmon would have shown at the end of each minute — the screen, a partial report, `--json` and
Prometheus all read the same held verdict — against the recording's calibrated truth.

  node dist-bench/bench/real.js [--dir bench/real] [--trace [name,…]] [--growth-gate]

--trace prints every minute of the named recordings (all without names): the verdict shown, the
pipeline's own, why it is undecided, rate and bounds, where the warm-up was put, and what the final
report (verdict, a `--max-rate 1MB/h` gate) would have said had the run ended then.

--growth-gate prints, for `--max-growth` limits of 10, 20 and 50 MiB, what the gate said at each of
the first 60 minutes, and what it would have said had it been undecided wherever the warm-up's end
was not found yet and the limit lay between growth since that end so far and growth since the
first sample (bench/README.md, "The growth gate while a warm-up's end is not found").
*/
import fs from 'node:fs';
import path from 'node:path';
import {assess, assessAtEnd, asShownAtEnd, bandOf, DEFAULT_ANALYSIS, pastTwiceTheRun, VerdictHold, withGrowth, withHoldWait, type AnalysisConfig, type Growth, type Verdict} from '../source/analysis/index.js';
import type {HeapPoint} from '../source/analysis/heap-sizing.js';
import {readJvmHeapPoints, type JvmHeapPoint} from '../source/record/jvm-heap.js';
import {SeriesStore} from '../source/series.js';
import {count, MIB} from '../source/units.js';

/** One recording and what it truly did. */
export type Recording = {
	readonly name: string;
	readonly program: string;
	readonly runtime: string;
	readonly leak: boolean;
	/** The calibrated long-run rate, MiB/h (0 without a leak). */
	readonly truth: number;
	/** Seconds into the run where the leak begins. */
	readonly leakStart: number;
	readonly shape: string;
	readonly t: Float64Array;
	readonly rss: Float64Array;
	/** A JVM's heap from its counters, where recorded (recordings/NAME.jvm.csv: record.py). */
	readonly heap?: readonly HeapPoint[] | undefined;
};

/** Read manifest.csv and the recordings it names that exist under `dir/recordings`. */
export function loadCorpus(dir: string): Recording[] {
	const lines = fs.readFileSync(path.join(dir, 'manifest.csv'), 'utf8').trim().split('\n');
	const header = splitCsv(lines[0]!);
	const column = (row: string[], name: string): string => row[header.indexOf(name)] ?? '';
	const result: Recording[] = [];
	for (const line of lines.slice(1)) {
		const row = splitCsv(line);
		const file = path.join(dir, 'recordings', `${column(row, 'name')}.csv`);
		if (!fs.existsSync(file)) {
			continue;
		}

		const samples = fs.readFileSync(file, 'utf8').trim().split('\n').slice(1);
		const t = new Float64Array(samples.length);
		const rss = new Float64Array(samples.length);
		for (const [i, sample] of samples.entries()) {
			const comma = sample.indexOf(',');
			t[i] = Number(sample.slice(0, comma));
			rss[i] = Number(sample.slice(comma + 1));
		}

		result.push({
			name: column(row, 'name'), program: column(row, 'program'), runtime: column(row, 'runtime'),
			leak: column(row, 'leak') === 'yes', truth: Number(column(row, 'truth_mib_h')), leakStart: Number(column(row, 'leak_start_s')),
			shape: column(row, 'shape'), t, rss,
			heap: fs.existsSync(file.replace(/\.csv$/, '.jvm.csv')) ? asLive(readJvmHeapPoints(file.replace(/\.csv$/, '.jvm.csv'))) : undefined,
		});
	}

	return result;
}

/**
A recording's heap readings as a live run has them: the counters every 5 s from the first
collection, as recorded, and the
heap's RSS (smaps, which costs) every 30 s, the most often a live run reads it
(commands/run-snapshots.ts).
*/
function asLive(points: readonly JvmHeapPoint[]): HeapPoint[] {
	let readAt = Number.NEGATIVE_INFINITY;
	// Before the JVM's first collection a live run logs no reading.
	return points.filter(point => point.youngGcs + point.oldGcs > 0).map(point => {
		if (point.heapRss === undefined || point.heapRss < 0 || point.t - readAt < 30) {
			return {...point, heapRss: undefined};
		}

		readAt = point.t;
		return point;
	});
}

function splitCsv(line: string): string[] {
	const cells: string[] = [];
	let cell = '';
	let quoted = false;
	for (const c of line) {
		if (c === '"') {
			quoted = !quoted;
		} else if (c === ',' && !quoted) {
			cells.push(cell);
			cell = '';
		} else {
			cell += c;
		}
	}

	cells.push(cell);
	return cells;
}

const LEAKY = new Set<Verdict>(['warning', 'failure', 'leak']);
/** After a leak begins late in a run, this long is allowed for the verdict to catch up: "acceptable" was true until the leak began, and is not yet wrong. A leak from the start gets no such grace. */
const CATCH_UP_SECONDS = 600;

/** Right, wrong, or not decided, at `atSeconds` into the recording. */
export function judge(verdict: Verdict, recording: Recording, atSeconds: number): 'right' | 'wrong' | 'undecided' {
	if (verdict === 'undecided') {
		return 'undecided';
	}

	const leaking = recording.leak && atSeconds > recording.leakStart;
	const band = leaking ? bandOf(recording.truth * MIB, DEFAULT_ANALYSIS.bands) : 'acceptable';
	if (recording.leak && recording.leakStart > 0 && atSeconds > recording.leakStart && atSeconds <= recording.leakStart + CATCH_UP_SECONDS && verdict === 'acceptable') {
		return 'right';
	}

	if (verdict === 'leak') {
		return band === 'acceptable' ? 'wrong' : 'right';
	}

	return verdict === band ? 'right' : 'wrong';
}

/** What was shown at the end of each minute, with the rate and bounds behind it. */
export type Minute = {
	readonly minute: number;
	readonly verdict: Verdict;
	readonly raw: Verdict;
	readonly rate?: number | undefined;
	readonly low?: number | undefined;
	readonly high?: number | undefined;
	/** Why the pipeline was undecided, and where it put the warm-up's end (seconds). */
	readonly reason?: string | undefined;
	readonly warmupEnd?: number | undefined;
	/** The screen's "about N min more" (seconds), when it showed a number. */
	readonly needMore?: number | undefined;
	/** The lower end where it said a range ("about 22–45 min more", the warm-up's end not found): seconds. */
	readonly needMoreLeast?: number | undefined;
	/** Had the run ended then: its final report's verdict, and a `--max-rate 1MB/h` gate's status. */
	readonly final: Verdict;
	readonly rateGate: string;
};

/**
Replay a recording as a live run does: samples into the store, the verdict evaluated every
`everySeconds` of run time into a 3-evaluation hold, and the held verdict read at each minute's end.
*/
export function replay(recording: Recording, config: AnalysisConfig = DEFAULT_ANALYSIS, everySeconds = 5): Minute[] {
	const store = new SeriesStore({baseWidth: 1});
	const hold = new VerdictHold(3);
	const minutes: Minute[] = [];
	let nextEvaluation = everySeconds;
	let nextMinute = 60;
	let last: Omit<Minute, 'minute' | 'verdict' | 'final' | 'rateGate'> = {raw: 'undecided'};
	let lastGrowth: Growth | undefined;
	for (let i = 0; i < recording.t.length; i++) {
		const t = recording.t[i]!;
		store.add({t, rss: recording.rss[i]!, hwm: undefined, pss: undefined, swap: undefined});
		// The heap's readings up to now, as a live run has them.
		store.heap = recording.heap?.filter(point => point.t <= t);
		if (t >= nextEvaluation) {
			nextEvaluation += everySeconds;
			const growth = assess(store, config).growth;
			lastGrowth = growth;
			hold.update(growth.verdict, t * 1000);
			// As a screen says it: a time gate's wait with the hold's, and no number past twice the run.
			const shown = withHoldWait(growth, t * 1000);
			const said = pastTwiceTheRun(shown, t) ? undefined : shown.needMore;
			last = {raw: growth.verdict, rate: growth.rate, low: growth.low, high: growth.high, reason: growth.reason, warmupEnd: growth.warmupEnd, needMore: said, needMoreLeast: said === undefined ? undefined : shown.needMoreLeast};
		}

		if (t >= nextMinute) {
			// As a live run's final report: the end's verdict, or the screen's where the end cannot tell.
			const endConfig = {...config, maxRate: config.maxRate ?? MIB};
			const atEnd = assessAtEnd(store, endConfig);
			const end = lastGrowth ? asShownAtEnd(atEnd, withGrowth(atEnd, {...lastGrowth, verdict: hold.shown}, store, endConfig)) : atEnd;
			minutes.push({minute: nextMinute / 60, verdict: hold.shown, ...last, final: end.growth.verdict, rateGate: end.thresholds.find(gate => gate.name === 'rate')?.status ?? 'undecided'});
			nextMinute += 60;
		}
	}

	return minutes;
}

/** The scores of one corpus: what the issue's bars measure. */
export type CorpusScore = {
	readonly recordings: number;
	readonly decidedMinutes: number;
	readonly wrongMinutes: number;
	readonly precision: number;
	readonly decidedAt25: number;
	readonly decidedAt120: {decided: number; of: number};
	readonly falseAlarms: ReadonlyMap<string, {alarmed: number; of: number}>;
	readonly bigLeaksIn10: {called: number; of: number};
	readonly flips: number;
	readonly coverage: {covered: number; of: number};
	/** Undecided minutes that said "about N min more", waiting on a time gate for a flat run (flat too briefly) or on bounds to narrow: (minutes until a verdict was shown) / N for those decided later, and how many never were before the recording ended; and those that said "at least N min more if it keeps rising": which verdicts came sooner than N, and how many did not. */
	readonly promises: {flat: Promises; bounds: Promises; rising: Floors};
	/** Had each run ended at each minute: its final reports' verdicts, and leak-free recordings whose final verdict or `--max-rate 1MB/h` gate failed at some minute. */
	readonly final: {decided: number; wrong: number; alarmed: number; rateFailed: number; leakFree: number};
	readonly rows: ReadonlyArray<{recording: Recording; minutes: Minute[]; firstRightThatStays: number | undefined; wrong: number; flips: number}>;
};

/** Score every recording. */
export function scoreCorpus(recordings: readonly Recording[], config: AnalysisConfig = DEFAULT_ANALYSIS): CorpusScore {
	let decidedMinutes = 0;
	let wrongMinutes = 0;
	let decided25 = 0;
	let decided120 = 0;
	let long = 0;
	let flipsAll = 0;
	let bigLeaks = 0;
	let bigCalled = 0;
	let covered = 0;
	let bounded = 0;
	const falseAlarms = new Map<string, {alarmed: number; of: number}>();
	const final = {decided: 0, wrong: 0, alarmed: 0, rateFailed: 0, leakFree: 0};
	const promises = {flat: {ratios: [], never: 0} as Promises, bounds: {ratios: [], never: 0} as Promises, rising: {sooner: new Map(), later: 0, never: 0} as Floors};
	const rows: CorpusScore['rows'][number][] = [];
	for (const recording of recordings) {
		const minutes = replay(recording, config);
		let wrong = 0;
		let flips = 0;
		let alarmed = false;
		let firstRightThatStays: number | undefined;
		let finalAlarm = false;
		let rateFailed = false;
		for (const [i, minute] of minutes.entries()) {
			const ended = judge(minute.final, recording, minute.minute * 60);
			final.decided += ended === 'undecided' ? 0 : 1;
			final.wrong += ended === 'wrong' ? 1 : 0;
			finalAlarm ||= !recording.leak && LEAKY.has(minute.final);
			rateFailed ||= !recording.leak && minute.rateGate === 'fail';
			const judged = judge(minute.verdict, recording, minute.minute * 60);
			if (judged !== 'undecided') {
				decidedMinutes++;
				if (minute.low !== undefined && minute.high !== undefined && (!recording.leak || minute.minute * 60 > recording.leakStart + CATCH_UP_SECONDS)) {
					bounded++;
					const truth = (recording.leak && minute.minute * 60 > recording.leakStart ? recording.truth : 0) * MIB;
					if (truth >= minute.low && truth <= minute.high) {
						covered++;
					}
				}
			}

			if (judged === 'wrong') {
				wrong++;
				wrongMinutes++;
			}

			if (!recording.leak && LEAKY.has(minute.verdict)) {
				alarmed = true;
			}

			if (i > 0 && minute.verdict !== minutes[i - 1]!.verdict) {
				flips++;
			}

			if (judged === 'right' && firstRightThatStays === undefined) {
				firstRightThatStays = minute.minute;
			} else if (judged !== 'right') {
				firstRightThatStays = undefined;
			}
		}

		for (const [i, minute] of minutes.entries()) {
			const kind = minute.reason === 'short' ? promises.flat : minute.reason === 'wide' ? promises.bounds : undefined;
			if (minute.verdict !== 'undecided' || minute.needMore === undefined || minute.needMore <= 0 || (!kind && minute.reason !== 'young')) {
				continue;
			}

			const shown = minutes.findIndex((later, j) => j > i && later.verdict !== 'undecided');
			if (minute.reason === 'young') {
				// A floor said: did a verdict come sooner (read at whole minutes: a minute's slack), and which?
				const floor = Math.ceil((minute.needMoreLeast ?? minute.needMore) / 60);
				if (shown === -1) {
					promises.rising.never++;
				} else if (minutes[shown]!.minute - minute.minute < floor - 1) {
					promises.rising.sooner.set(minutes[shown]!.verdict, (promises.rising.sooner.get(minutes[shown]!.verdict) ?? 0) + 1);
				} else {
					promises.rising.later++;
				}
			} else if (shown === -1) {
				kind!.never++;
			} else {
				kind!.ratios.push((minutes[shown]!.minute - minute.minute) * 60 / minute.needMore);
			}
		}

		const at25 = minutes[24];
		if (at25 && at25.verdict !== 'undecided') {
			decided25++;
		}

		const at120 = minutes[119];
		if (at120) {
			long++;
			if (at120.verdict !== 'undecided') {
				decided120++;
			}
		}

		if (recording.leak && recording.truth >= 10) {
			bigLeaks++;
			const by = (recording.leakStart / 60) + 10;
			if (minutes.some(minute => minute.minute <= by && minute.minute * 60 > recording.leakStart && LEAKY.has(minute.verdict))) {
				bigCalled++;
			}
		}

		if (!recording.leak) {
			final.leakFree++;
			final.alarmed += finalAlarm ? 1 : 0;
			final.rateFailed += rateFailed ? 1 : 0;
			const entry = falseAlarms.get(recording.program) ?? {alarmed: 0, of: 0};
			falseAlarms.set(recording.program, {alarmed: entry.alarmed + (alarmed ? 1 : 0), of: entry.of + 1});
		}

		flipsAll += flips;
		rows.push({recording, minutes, firstRightThatStays, wrong, flips});
	}

	return {
		recordings: recordings.length, decidedMinutes, wrongMinutes, precision: decidedMinutes === 0 ? 1 : 1 - (wrongMinutes / decidedMinutes),
		decidedAt25: recordings.length === 0 ? 0 : decided25 / recordings.length, decidedAt120: {decided: decided120, of: long},
		falseAlarms, bigLeaksIn10: {called: bigCalled, of: bigLeaks}, flips: flipsAll, coverage: {covered, of: bounded}, promises, final, rows,
	};
}

const letters: Record<Verdict, string> = {undecided: '.', acceptable: 'a', warning: 'w', failure: 'f', leak: 'l'};

/** A line per recording: a letter a minute, upper case where wrong. */
export function minuteStrip(row: CorpusScore['rows'][number]): string {
	return row.minutes.map(minute => {
		const letter = letters[minute.verdict];
		return judge(minute.verdict, row.recording, minute.minute * 60) === 'wrong' ? letter.toUpperCase() : letter;
	}).join('');
}

const percent = (value: number): string => `${(value * 100).toFixed(1)}%`;
const mib = (value: number | undefined): string => value === undefined || !Number.isFinite(value) ? '—' : (value / MIB).toFixed(1);

type Promises = {ratios: number[]; never: number};
type Floors = {sooner: Map<string, number>; later: number; never: number};

function promiseQuality({ratios, never}: Promises): string {
	const sorted = ratios.toSorted((a, b) => a - b);
	const within = sorted.filter(ratio => ratio >= 0.5 && ratio <= 2).length;
	const median = sorted.length === 0 ? '—' : sorted[sorted.length >> 1]!.toFixed(2);
	return `${median}, within ×½…×2 for ${within} of ${sorted.length} minutes; ${never} more not decided before the recording ended`;
}

function floorQuality({sooner, later, never}: Floors): string {
	const early = [...sooner.values()].reduce((sum, n) => sum + n, 0);
	const which = [...sooner].map(([verdict, n]) => `${n} ${verdict}`).join(', ');
	return `${early} of ${early + later}${early > 0 ? ` (${which})` : ''}; ${never} more not decided before the recording ended`;
}

/** The corpus section of bench/analysis-results.md. */
export function corpusReport(score: CorpusScore, title = 'Real processes, minute by minute', source = 'bench/real/'): string {
	const stays = score.rows.map(row => row.firstRightThatStays).filter((minute): minute is number => minute !== undefined).sort((a, b) => a - b);
	const median = stays.length === 0 ? undefined : stays[stays.length >> 1];
	const alarms = [...score.falseAlarms.entries()].map(([program, {alarmed, of}]) => `${program} ${alarmed}/${of}`).join(', ');
	const lines = [
		`## ${title}`,
		'',
		`${score.recordings} recordings (${source}: ${count(new Set(score.rows.map(row => row.recording.program)).size, 'program')}, ${count(new Set(score.rows.map(row => row.recording.runtime)).size, 'runtime')}), 1 s samples, each replayed as a live run: the verdict evaluated every 5 s into the display's hold (three evaluations, and a tenth of the run, 1–10 min), read at the end of every minute (what the screen, a partial report, --json and Prometheus said then), against the calibrated truth (${source}manifest.csv).`,
		'',
		'| bar | result |',
		'|---|---|',
		`| precision of decided verdicts (≥ 99%) | ${percent(score.precision)} (${score.wrongMinutes} wrong of ${score.decidedMinutes} decided minutes) |`,
		`| decided at 25 minutes (≥ 85%) | ${percent(score.decidedAt25)} |`,
		`| decided at 2 hours | ${score.decidedAt120.decided}/${score.decidedAt120.of} |`,
		`| leaks ≥ 10 MiB/h called within 10 minutes of their start | ${score.bigLeaksIn10.called}/${score.bigLeaksIn10.of} |`,
		`| bounds of a decided verdict contain the long-run rate | ${score.coverage.covered}/${score.coverage.of} minutes |`,
		`| first right verdict that then stays (median minute) | ${median ?? '—'} |`,
		`| verdict changes, all recordings | ${score.flips} |`,
		`| "at least N min more if it keeps rising" (a time gate): minutes a verdict was shown sooner than N, of those decided later | ${floorQuality(score.promises.rising)} |`,
		`| "about N min more" for a flat run (flat too briefly): minutes until a verdict was shown ÷ N, median | ${promiseQuality(score.promises.flat)} |`,
		`| "about N min more" for bounds to narrow: the same | ${promiseQuality(score.promises.bounds)} |`,
		`| recordings without a leak that showed warning/failure/leak at any minute | ${alarms} |`,
		`| had the run ended at that minute: final report's decided verdicts that were right | ${percent(score.final.decided === 0 ? 1 : 1 - (score.final.wrong / score.final.decided))} (${score.final.wrong} wrong of ${score.final.decided}) |`,
		`| had the run ended at that minute: recordings without a leak whose final verdict was warning/failure/leak, or whose \`--max-rate 1MB/h\` gate failed, at some minute | ${score.final.alarmed} and ${score.final.rateFailed} of ${score.final.leakFree} |`,
		'',
		'Each minute a letter: `.` undecided, `a` acceptable, `w` warning, `f` failure, `l` leak; upper case where wrong.',
		'',
		'```',
		...score.rows.map(row => {
			const last = row.minutes.at(-1);
			return `${row.recording.name.padEnd(24)} ${String(row.recording.truth).padStart(5)} ${minuteStrip(row)}  ${last ? `${last.verdict} ${mib(last.rate)} (${mib(last.low)}…${mib(last.high)})` : ''}`;
		}),
		'```',
	];
	return lines.join('\n');
}

/** Every minute of the named recordings (all when none are named): what was shown, and why. */
export function traceReport(score: CorpusScore, names: readonly string[] = []): string {
	const lines: string[] = [];
	for (const row of score.rows) {
		if (names.length > 0 && !names.includes(row.recording.name)) {
			continue;
		}

		lines.push(`${row.recording.name} (truth ${row.recording.truth} MiB/h${row.recording.leakStart > 0 ? ` from ${row.recording.leakStart} s` : ''})`);
		for (const minute of row.minutes) {
			const judged = judge(minute.verdict, row.recording, minute.minute * 60);
			const warmup = minute.warmupEnd === undefined ? '' : `  warm-up ${(minute.warmupEnd / 60).toFixed(1)} min`;
			const ended = judge(minute.final, row.recording, minute.minute * 60);
			lines.push(`  ${String(minute.minute).padStart(3)}  ${minute.verdict.padEnd(10)} ${judged === 'wrong' ? 'WRONG ' : ''}pipeline ${minute.raw}${minute.reason ? ` (${minute.reason})` : ''}  ${mib(minute.rate)} (${mib(minute.low)}…${mib(minute.high)}) MiB/h${warmup}  ended here: ${minute.final}${ended === 'wrong' ? ' WRONG' : ''}, rate gate ${minute.rateGate}`);
		}
	}

	return lines.join('\n');
}

const GATE_LIMITS = [10, 20, 50];

/**
The `--max-growth` gate at each minute's end (the first 60) for each of GATE_LIMITS (MiB), as it
is (`p`ass, `F`ail) and as it would be were it undecided (`?`) while the warm-up's end is not found
and the limit lies between growth since that end so far and growth since the first sample; a
table of failed and undecided minutes and status changes, by leak and limit.
*/
export function growthGateReport(recordings: readonly Recording[]): string {
	type Tally = {minutes: number; failed: number; undecided: number; changes: number; changesBetween: number; over: number; passedOver: number; undecidedOver: number};
	const tallies = new Map<string, Tally>();
	const lines: string[] = [];
	const changes = (statuses: string[]): number => statuses.filter((status, i) => i > 0 && status !== statuses[i - 1]).length;
	for (const recording of recordings) {
		const store = new SeriesStore({baseWidth: 1});
		const now: string[][] = GATE_LIMITS.map(() => []);
		const between: string[][] = GATE_LIMITS.map(() => []);
		let nextMinute = 60;
		for (let i = 0; i < recording.t.length && nextMinute <= 3600; i++) {
			store.add({t: recording.t[i]!, rss: recording.rss[i]!, hwm: undefined, pss: undefined, swap: undefined});
			if (recording.t[i]! < nextMinute) {
				continue;
			}

			nextMinute += 60;
			const assessment = assess(store, {...DEFAULT_ANALYSIS, maxGrowth: MIB});
			const counted = assessment.totalGrowth! / MIB;
			const sinceFirst = (assessment.growthEnd! - store.afterStartup!.rss) / MIB;
			const open = assessment.growthSince === 'warm-up' && assessment.growth.warmupOpen === true;
			for (const [k, limit] of GATE_LIMITS.entries()) {
				now[k]!.push(counted > limit ? 'F' : 'p');
				between[k]!.push(counted > limit ? 'F' : open && sinceFirst > limit ? '?' : 'p');
			}
		}

		for (const [k, limit] of GATE_LIMITS.entries()) {
			const key = `${recording.leak ? 'leak' : 'no leak'}, limit ${limit} MiB`;
			const tally = tallies.get(key) ?? {minutes: 0, failed: 0, undecided: 0, changes: 0, changesBetween: 0, over: 0, passedOver: 0, undecidedOver: 0};
			// Minutes where the leak alone had kept more than the limit.
			for (const [j, status] of now[k]!.entries()) {
				if (recording.leak && recording.truth * (((j + 1) * 60) - recording.leakStart) / 3600 > limit) {
					tally.over++;
					tally.passedOver += status === 'p' ? 1 : 0;
					tally.undecidedOver += between[k]![j] === '?' ? 1 : 0;
				}
			}

			tally.minutes += now[k]!.length;
			tally.failed += now[k]!.filter(status => status === 'F').length;
			tally.undecided += between[k]!.filter(status => status === '?').length;
			tally.changes += changes(now[k]!);
			tally.changesBetween += changes(between[k]!.filter(status => status !== '?'));
			tallies.set(key, tally);
			lines.push(`${(k === 0 ? recording.name : '').padEnd(26)}${String(limit).padStart(3)} MiB  ${now[k]!.join('')}`, `${''.padEnd(35)}${between[k]!.join('')}`);
		}
	}

	lines.push('', '| recordings, limit | minutes | failed (either way) | undecided, were it so | pass/fail changes now → then | minutes the leak alone had kept more: passed now, undecided then |', '|---|---|---|---|---|---|');
	for (const [key, tally] of tallies) {
		lines.push(`| ${key} | ${tally.minutes} | ${tally.failed} | ${tally.undecided} | ${tally.changes} → ${tally.changesBetween} | ${tally.over === 0 ? '—' : `${tally.over}: ${tally.passedOver}, ${tally.undecidedOver}`} |`);
	}

	return lines.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
	const args = process.argv.slice(2);
	const dir = args.includes('--dir') ? args[args.indexOf('--dir') + 1]! : path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../bench/real');
	if (args.includes('--growth-gate')) {
		process.stdout.write(`${growthGateReport(loadCorpus(dir))}\n`);
	} else if (args.includes('--trace')) {
		const score = scoreCorpus(loadCorpus(dir));
		const names = args[args.indexOf('--trace') + 1];
		process.stdout.write(`${traceReport(score, names === undefined || names.startsWith('--') ? [] : names.split(','))}\n`);
	} else {
		const score = scoreCorpus(loadCorpus(dir));
		process.stdout.write(`${corpusReport(score, undefined, `${path.relative(process.cwd(), dir) || '.'}/`)}\n`);
	}
}
