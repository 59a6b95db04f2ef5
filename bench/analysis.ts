/**
`npm run bench:analysis`: memmon's verdict, the memory-test plan's quarter method and least squares (what
`mprof plot --slope` does) side by side on the generated grid (bench/traces.ts). Each method is
run on prefixes ending at k·T/12, k = 1…12, each read as a run that ended there (memmon: its final
report's verdict, `assessAtEnd`); the final verdict is k = 12.

Usage: node dist-bench/bench/analysis.js [--grid small|full] [--reps N] [--rep-start N] [--out FILE] [--real DIR|none] [--heldout DIR] [--unseen DIR] [--more DIR] [--nodes DIR] [--demo DIR] [--late DIR] [--wild DIR] [--idle DIR] [--periodic DIR] [--jvm DIR] [--trees DIR] [--libs DIR] [--servers DIR]

Then the real-process corpus (bench/real.ts), scored minute by minute.
*/
import fs from 'node:fs';
import {assessAtEnd, bandOf, DEFAULT_BANDS, type Verdict} from '../source/analysis/index.js';
import {SeriesStore} from '../source/series.js';
import {MIB} from '../source/units.js';
import {corpusReport, loadCorpus, scoreCorpus} from './real.js';
import {buildGrid, generate, type TraceSpec} from './traces.js';

/** What the Node lines' recordings showed (filled in from their scoring). */
const NODES_NOTE = 'The Node lines (the corpus\'s Node job worker and HTTP server on Node 20, 22, 24 and 26, an hour each) were recorded after every rule above but one was set, and scored as they came: with a 15-minute growth gate two of the four healthy job workers were shown FAILURE (Node 22 at minute 26, Node 24 at 27–29 and 59–60). The 25-minute gate and the check for growth that has stopped were chosen on them, so no set here is blind to those two rules.';

/** What the set of more programs was made to check, and what it found. */
const MORE_NOTE = 'The more programs (PHP, Lua, Erlang, the JVM\'s ParallelGC and ZGC, nginx, glibc arenas in eight threads, a file read in through mmap: 40 minutes each) were written and recorded after every other rule of the verdict was set. Their first scoring: no leak-free one shown warning, failure or leak at any minute, and 3 wrong of 123 decided minutes — the Erlang leak (15 MiB/h, as 4 MiB steps 11–13 minutes apart) shown acceptable at minutes 18, 19 and 25, after its first step. A flat stretch after a rise now counts only once it has lasted 1.5× the flat stretch before the rise (or 30 minutes); nothing on the other sets changed.';

/** What the demo's recordings were made to check. */
const DEMO_NOTE = 'The demo (`npm start`\'s workload, a leak of ~109 MiB/h) was recorded to check a fault a live run of it showed: its FAILURE, shown from minute 29, was taken back to "rising — warm-up or leak?" at minute 42 when the warm-up estimate moved from 2 to 21 minutes (the leak had eased from 113 to 101 MiB/h) and the 25 minutes of steady growth were counted from there. Steady growth now counts from where the rate has held (within ×1.5); these recordings came after that rule was set. Scored with the count from the warm-up estimate, the Node 24 recording\'s FAILURE (from minute 29) was taken back at minute 37 and it ended undecided.';

/** What the programs in the wild were for, and what they found. */
const WILD_NOTE = 'The programs in the wild (a Bun and a Deno HTTP server running the corpus\'s Node server, an asyncio HTTP server, a C++ cache of mixed-size strings, Node 26\'s fetch client polling a local server, redis under maxmemory with new keys every second; leaks of 10–15 MiB/h designed into four, 40 minutes each) were written and recorded after every rule of the verdict was set, and are scored as they came: no rule was changed for them. The C++ leak cost 1.27× its design in RSS (its 512-byte blocks, interleaved with the cache\'s churn, keep freed memory from coalescing: measured with the cache and the leak both 10× faster for 30 minutes beside a leak-free twin), and the manifest\'s truth is that; the leak-free C++ cache crept at 5–8 MiB/h from minute 12 to 40 and levelled off (the same 10× faster twin: 0.9 MiB in the equivalent of 220 minutes after its first 80), never shown a verdict.';

/** What the idle starts were made to check, and what they found. */
const IDLE_NOTE = 'The idle starts (memcached, redis, a JVM, a Python and three Node HTTP servers, each idle for 12 minutes before its load began, one of them leaking 10 MiB/h from then; 40 minutes each) were recorded to check a user who starts memmon, then the load test. Before them the flat-stretch rule took the idle minutes for a settled process and the load\'s warm-up for a leak\'s onset: memcached\'s slab cache filling read FAILURE at minutes 23–24. A flat stretch now counts as settled only after growth memmon saw, or after an hour from the start (verdict.ts, `IDLE_START_SECONDS`); no verdict on the other sets changed.';

/** What the periodic jobs were made to check, and what they found. */
const PERIODIC_NOTE = 'The periodic jobs (Python and Node batch jobs building and dropping a couple of hundred MiB every 3, 4 or 10 minutes, two with a leak kept a second at a time; an HTTP LRU server on a JVM without -Xmx; 40 minutes each) were written and recorded after every other rule of the verdict was set, and scored as they came. The Python batches each left 0.98 MiB behind (CPython 3.11, linear over 75 batches of a twin batching every 24 s): the manifest\'s truth is that, a leak in steps. Their first scoring showed the 10-minute staircase ACCEPTABLE for minutes 26–31 and the 4-minute one for minute 12: each step was judged against the run\'s largest only. Each later step now waits for its own flat (verdict.ts, `MAX_STAIRS`); no verdict on the other sets or the grid changed. Left: the JVM, whose G1 sizes a default heap (a quarter of the machine\'s 24 GiB) for hours, rose in a straight line at 210–230 MiB/h from minute 12 to 40 and was shown FAILURE for minutes 38–40; its twin under 6× the load still rose after the equivalent of 3 hours, ever slower. A line that lasts longer than the 25-minute growth gate is a leak to RSS alone; this one was recorded without the JVM\'s counters, which memmon now reads (the JVMs below).';

/** What the late onsets were made to check, and what they found. */
const LATE_NOTE = 'The late onsets (a Python worker with its cache full in minutes, a C program churning glibc at its plateau, a Node server under steady load with a small LRU: each leaking 15–20 MiB/h from minute 20 or 25, beside the same workload without a leak, 40–45 minutes) were recorded to check a leak that begins after the process has settled. Scored as they came: 36 decided minutes, all right, and no leak called in the recordings — the Python leak, flat at 30 MiB for 20 minutes and then a clean line, still "warm-up or leak?" at minute 40. The flat-stretch rule (verdict.ts, `onsetAfterFlat`) came from it: FAILURE from minute 33; no verdict on the other sets changed. The C and Node leaks add 3–7 MiB in their 20 minutes, under swings of as much (glibc arenas; V8 growing its heap on the leak-free twin too: both servers read ~11 MiB/h at minute 45).';

const JVM_NOTE = 'The JVMs (the corpus\'s LRU server without -Xmx on G1 and on ParallelGC, beside a G1 one with a leak, and one with -Xmx512m and a leak: 40 minutes each, four at once; and the G1 one alone for 70 minutes) were recorded with their heap\'s counters (record.py reads the hsperfdata file the JVM maps, and the heap\'s RSS from smaps), to check the rule that reads them (analysis/heap-sizing.ts), set on memmon\'s own live run of the G1 server, shown LEAK at minute 41. Replayed without the counters, the 70-minute one reads FAILURE at minutes 41, 42 and 45; with them, as a live run reads them now, undecided: its heap was filling before its first old collection (minute 46), and then growing into its room. The four 40-minute ones never read a leak either way, and none of them had an old collection in 40 minutes: a leak under them stays undecided too.';

const TREES_NOTE = 'The process trees (a pre-fork Python server whose workers leak per request and are replaced every 8–12 minutes, and its twin leaking 12 MiB/h with no replacement; a Node cluster of two workers with and without a leak; postgres with a new backend for each transaction; a supervisor starting an 80-MiB job every 45 s, with and without a leak of its own: 40 minutes each, seven at once, the RSS of each tree summed by record.py) were written after every other rule was set and scored as they came: 0 wrong of 9 decided minutes; the pre-fork and supervisor leaks FAILURE from minutes 35 and 38 (their bounds held the calibrated rate in 2 of the 9: 12.8…13.2 against 11.99, 10.6…23.4 against 10.06), the cluster\'s leak undecided at 40 (15.9, −8.2…19.1) under its workers\' V8 warm-ups. Watched live, the replaced workers showed a bug the replay cannot: each replacement began the tree\'s start-up again, and 40 minutes in the growth read "+21.2 MiB since start-up ended at 32m 37s" (+15.5 since the warm-up\'s end): a new process with the command line of one already running is no longer a program starting (session.ts).';

const LIBS_NOTE = 'Programs built on the libraries people deploy (an Express 5 app on Node 22 with express-session\'s MemoryStore keeping sessions no client comes back for; FastAPI under uvicorn with an unbounded functools.lru_cache; a pandas batch job keeping slices of its frames; a Go net/http server leaking goroutines blocked forever; each with and without its leak, 40 minutes, eight at once) were written and recorded after every other rule was set and scored as they came: 0 wrong of 61 decided minutes, no leak-free one shown warning, failure or leak at any minute, the FastAPI and Go leaks FAILURE from minutes 40 and 35, the Express and pandas leaks undecided at 40 (V8\'s heap swinging 100 MiB under the first; the second, 4.3 MiB/h, under 30-MiB frames every 3 s). Their leaks were calibrated at 20× for 8 minutes (calibration-libs.csv: factors 0.85, 0.96, 0.72, 1.13): at 60× for 4 minutes the Express leak read 3.8, V8 sizing its heap to the fast leak, as on the Node lines. The Go leak reads 22–24 MiB/h in its recording against 16.9 calibrated (the collector\'s pacing grows the heap with what stays), and the leak-free pandas and FastAPI processes crept 0.1–0.4 MiB/h for their first half hour (the job\'s last 500 summaries filling its deque over 25 minutes): most of the 37 decided minutes whose bounds missed the truth are these acceptable ones, which the eight pages of drift do not take in.';

const SERVERS_NOTE = 'Servers from Debian (MariaDB 10.11 with a 256 MiB InnoDB buffer pool warming under point SELECTs over a table of about 430 MB, once with a client session that keeps setting new user variables; Varnish 7.1 with malloc storage in front of a Node backend, its objects expiring after 120 s, or kept until a 256 MiB store is full), 40 minutes, four at once, were written and recorded after every other rule was set and scored as they came: 0 wrong of 10 decided minutes, no leak-free one shown warning, failure or leak at any minute. The pool filled for 18 minutes, slowing, then held flat to the byte (acceptable from minute 31); its leaking twin rose on in a clean line at 11.0 MiB/h (9.8…12.2 from minute 33) and stays undecided at 40: the warm-up cut sits at its cap, half the run, so the line counts from minute 20, and \'warm-up or leak?\' holds until it has lasted 25 minutes, at minute 50. The store that keeps its objects still filled at about 90 MiB/h at minute 40, bounded by design: undecided throughout.';

/** The real-process sets, in the order they were recorded: flag, default folder, section title, what their scoring showed. */
const REAL_SETS: ReadonlyArray<{flag: string; dir: string; title?: string; note?: string}> = [
	{flag: '--real', dir: 'bench/real'},
	{flag: '--heldout', dir: 'bench/real/heldout', title: 'Held-out real recordings, minute by minute', note: 'The held-out recordings (new parameters of the corpus\'s programs: other caches, loads, heaps and leak rates) were recorded after the display\'s confirmation rule was chosen on the corpus above; the 15-minute growth gate was then chosen between 12, 15 and 20 minutes looking at both.'},
	{flag: '--unseen', dir: 'bench/real/unseen', title: 'Unseen programs, minute by minute', note: 'The unseen programs (Perl, Ruby, Go and Node worker threads: runtimes and programs neither set above has) were written and recorded after every other rule of the verdict was set. Their first scoring (0 wrong of 34 decided minutes, 37.5% decided at 25 minutes) showed a Ruby leak\'s FAILURE taken back to undecided for three minutes when one evaluation said "leak": the display\'s hold now shows a leak then, so they are not blind to that change.'},
	{flag: '--more', dir: 'bench/real/more', title: 'More programs, minute by minute', note: MORE_NOTE},
	{flag: '--nodes', dir: 'bench/real/nodes', title: 'Every Node line, minute by minute', note: NODES_NOTE},
	{flag: '--demo', dir: 'bench/real/demo', title: 'The demo, minute by minute', note: DEMO_NOTE},
	{flag: '--late', dir: 'bench/real/late', title: 'Leaks that begin late, minute by minute', note: LATE_NOTE},
	{flag: '--wild', dir: 'bench/real/wild', title: 'Programs in the wild, minute by minute', note: WILD_NOTE},
	{flag: '--idle', dir: 'bench/real/idle', title: 'Idle before the load, minute by minute', note: IDLE_NOTE},
	{flag: '--periodic', dir: 'bench/real/periodic', title: 'Periodic jobs and a default heap, minute by minute', note: PERIODIC_NOTE},
	{flag: '--jvm', dir: 'bench/real/jvm', title: 'JVMs with their heap\'s counters, minute by minute', note: JVM_NOTE},
	{flag: '--trees', dir: 'bench/real/trees', title: 'Process trees, minute by minute', note: TREES_NOTE},
	{flag: '--libs', dir: 'bench/real/libs', title: 'Programs on the libraries people deploy, minute by minute', note: LIBS_NOTE},
	{flag: '--servers', dir: 'bench/real/servers', title: 'Servers from Debian, minute by minute', note: SERVERS_NOTE},
];

const K = 12;
const LEAKY = new Set<Verdict>(['warning', 'failure', 'leak']);
type Method = 'memmon' | 'quarters' | 'least squares';
const METHODS: Method[] = ['memmon', 'quarters', 'least squares'];

type Outcome = {
	verdict: Verdict;
	rate: number | undefined;
	low: number | undefined;
	high: number | undefined;
	needMore?: number | undefined;
};

type Row = {
	spec: TraceSpec;
	method: Method;
	final: Outcome;
	sequence: Verdict[];
	needAtHalf: number | undefined;
	firstDecided: number | undefined;
	warmupEnd: number | undefined;
};

function correct(verdict: Verdict, spec: TraceSpec): boolean {
	if (spec.boundary) {
		return spec.gtRate === 1 ? ['acceptable', 'warning', 'leak'].includes(verdict) : ['warning', 'failure', 'leak'].includes(verdict);
	}

	return verdict === spec.gtBand;
}

function consistent(verdict: Verdict, spec: TraceSpec): boolean {
	if (verdict === 'undecided') {
		return true;
	}

	return verdict === 'leak' ? spec.gtRate >= 1 : correct(verdict, spec);
}

/** The quarter method on a prefix: first n/4 samples vs last n/4, over the time between their centres. */
function quarterMethod(t: Float64Array, y: Float64Array, n: number): Outcome {
	const q = Math.floor(n / 4);
	if (q < 1) {
		return {verdict: 'undecided', rate: undefined, low: undefined, high: undefined};
	}

	let a = 0;
	let b = 0;
	let ta = 0;
	let tb = 0;
	for (let i = 0; i < q; i++) {
		a += y[i]!;
		ta += t[i]!;
		b += y[n - q + i]!;
		tb += t[n - q + i]!;
	}

	const rate = (b - a) / (tb - ta) * 3600;
	return {verdict: bandOf(rate, DEFAULT_BANDS), rate, low: undefined, high: undefined};
}

function leastSquares(t: Float64Array, y: Float64Array, n: number): Outcome {
	if (n < 2) {
		return {verdict: 'undecided', rate: undefined, low: undefined, high: undefined};
	}

	let st = 0;
	let sy = 0;
	for (let i = 0; i < n; i++) {
		st += t[i]!;
		sy += y[i]! - y[0]!;
	}

	const tm = st / n;
	const ym = sy / n;
	let sxx = 0;
	let sxy = 0;
	for (let i = 0; i < n; i++) {
		sxx += (t[i]! - tm) ** 2;
		sxy += (t[i]! - tm) * (y[i]! - y[0]! - ym);
	}

	const rate = sxy / sxx * 3600;
	return {verdict: bandOf(rate, DEFAULT_BANDS), rate, low: undefined, high: undefined};
}

function runTrace(spec: TraceSpec): Row[] {
	const {t, rss} = generate(spec);
	const store = new SeriesStore({baseWidth: spec.interval});
	const rows: Row[] = [];
	const sequences: Record<Method, Verdict[]> = {memmon: [], quarters: [], 'least squares': []};
	const finals = {} as Record<Method, Outcome>;
	let needAtHalf: number | undefined;
	let warmupEnd: number | undefined;
	let fed = 0;
	for (let k = 1; k <= K; k++) {
		const end = k * spec.duration / K;
		while (fed < t.length && t[fed]! <= end) {
			store.add({t: t[fed]!, rss: rss[fed]!});
			fed++;
		}

		const a = assessAtEnd(store);
		const outcomes: Record<Method, Outcome> = {
			memmon: {verdict: a.growth.verdict, rate: a.growth.rate, low: a.growth.low, high: a.growth.high, needMore: a.growth.needMore},
			quarters: quarterMethod(t, rss, fed),
			'least squares': leastSquares(t, rss, fed),
		};
		if (k === K / 2 && a.growth.verdict === 'undecided') {
			needAtHalf = a.growth.needMore;
		}

		if (k === K) {
			warmupEnd = a.growth.warmupEnd;
		}

		for (const method of METHODS) {
			sequences[method].push(outcomes[method].verdict);
			if (k === K) {
				finals[method] = outcomes[method];
			}
		}
	}

	for (const method of METHODS) {
		const sequence = sequences[method];
		const first = sequence.findIndex(verdict => verdict !== 'undecided');
		rows.push({
			spec, method, final: finals[method], sequence, needAtHalf: method === 'memmon' ? needAtHalf : undefined, firstDecided: first === -1 ? undefined : (first + 1) / K, warmupEnd,
		});
	}

	return rows;
}

const pct = (values: boolean[]): string => values.length === 0 ? '-' : `${(100 * values.filter(Boolean).length / values.length).toFixed(1)}%`;

function median(values: number[]): number | undefined {
	if (values.length === 0) {
		return undefined;
	}

	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.floor(sorted.length / 2)];
}

/** Time to a correct verdict: the first checkpoint from which the band stays correct (fraction of the run). */
function timeToCorrect(row: Row): number | undefined {
	const ok = row.sequence.map(verdict => correct(verdict, row.spec));
	if (!ok.at(-1)) {
		return undefined;
	}

	let c = K;
	while (c > 0 && ok[c - 1]) {
		c--;
	}

	return (c + 1) / K;
}

function table(rows: Row[], title: string): string {
	const lines = [
		`### ${title}`,
		'',
		'| method | traces | false leak, no-leak | false leak, 0.5 MiB/h | missed leak ≥ 2 MiB/h | undecided | decided but wrong | 90% interval covers truth | time to correct verdict (median, of run) | never correct |',
		'|---|---|---|---|---|---|---|---|---|---|',
	];
	for (const method of METHODS) {
		const g = rows.filter(row => row.method === method);
		const noLeak = g.filter(row => row.spec.gtRate === 0).map(row => LEAKY.has(row.final.verdict));
		const sub = g.filter(row => row.spec.gtRate === 0.5).map(row => LEAKY.has(row.final.verdict));
		const missed = g.filter(row => row.spec.gtRate >= 2 && !row.spec.boundary).map(row => row.final.verdict === 'acceptable');
		const undecided = g.map(row => row.final.verdict === 'undecided');
		const wrong = g.filter(row => row.final.verdict !== 'undecided').map(row => !consistent(row.final.verdict, row.spec));
		const covered = g.filter(row => row.final.low !== undefined && row.final.high !== undefined && Number.isFinite(row.final.low) && Number.isFinite(row.final.high))
			.map(row => row.final.low! <= (row.spec.gtRate * MIB) && (row.spec.gtRate * MIB) <= row.final.high!);
		const ttc = g.filter(row => !row.spec.boundary).map(row => timeToCorrect(row));
		const ttcMedian = median(ttc.filter((value): value is number => value !== undefined));
		lines.push(`| ${method} | ${g.length} | ${pct(noLeak)} | ${pct(sub)} | ${pct(missed)} | ${pct(undecided)} | ${pct(wrong)} | ${covered.length > 0 ? pct(covered) : '-'} | ${ttcMedian === undefined ? '-' : `${(ttcMedian * 100).toFixed(0)}%`} | ${pct(ttc.map(value => value === undefined))} |`);
	}

	return lines.join('\n');
}

/** How well "need ~X more" at half-time predicts when a verdict arrives. */
function needMoreQuality(rows: Row[]): string {
	const pairs: Array<{predicted: number; actual: number | undefined; end: number}> = [];
	for (const row of rows) {
		if (row.method !== 'memmon' || row.needAtHalf === undefined) {
			continue;
		}

		const half = row.spec.duration / 2;
		const index = row.sequence.findIndex((verdict, i) => i >= K / 2 && verdict !== 'undecided');
		pairs.push({predicted: half + row.needAtHalf, actual: index === -1 ? undefined : (index + 1) * row.spec.duration / K, end: row.spec.duration});
	}

	const decided = pairs.filter(pair => pair.actual !== undefined);
	const ratios = decided.map(pair => pair.actual! / pair.predicted);
	const within2 = ratios.map(ratio => ratio >= 0.5 && ratio <= 2);
	const undecidedToEnd = pairs.filter(pair => pair.actual === undefined);
	return [
		`"need ~X more" said at half-time, on the ${pairs.length} identifiable traces undecided then: ${decided.length} were decided by the end of the run;`,
		`for those, (time decided) / (time predicted) has median ${median(ratios)?.toFixed(2) ?? '-'}, within ×2 for ${pct(within2)}.`,
		`${undecidedToEnd.length} stayed undecided; the prediction had put the verdict beyond the run's end for ${pct(undecidedToEnd.map(pair => pair.predicted > pair.end))} of them.`,
	].join('\n');
}

/** Where memmon's errors and undecided verdicts come from. */
function byFamily(rows: Row[]): string {
	const lines = ['| family | traces | undecided | decided but wrong | false leak | missed | interval covers truth |', '|---|---|---|---|---|---|---|'];
	const families = [...new Set(rows.map(row => row.spec.family))];
	for (const family of families) {
		const g = rows.filter(row => row.method === 'memmon' && row.spec.family === family);
		const wrong = g.filter(row => row.final.verdict !== 'undecided').map(row => !consistent(row.final.verdict, row.spec));
		const covered = g.filter(row => Number.isFinite(row.final.low ?? Number.NaN) && Number.isFinite(row.final.high ?? Number.NaN))
			.map(row => row.final.low! <= (row.spec.gtRate * MIB) && (row.spec.gtRate * MIB) <= row.final.high!);
		lines.push(`| ${family} | ${g.length} | ${pct(g.map(row => row.final.verdict === 'undecided'))} | ${pct(wrong)} | ${pct(g.filter(row => row.spec.gtRate < 1).map(row => LEAKY.has(row.final.verdict)))} | ${pct(g.filter(row => row.spec.gtRate >= 2).map(row => row.final.verdict === 'acceptable'))} | ${pct(covered)} |`);
	}

	return lines.join('\n');
}

function main(): void {
	const args = process.argv.slice(2);
	const option = (name: string, fallback: string): string => {
		const at = args.indexOf(name);
		return at === -1 ? fallback : args[at + 1] ?? fallback;
	};

	const grid = option('--grid', 'small') as 'small' | 'full';
	const reps = Number(option('--reps', '2'));
	const repStart = Number(option('--rep-start', '0'));
	const out = option('--out', 'bench/analysis-results.md');
	const specs = buildGrid(grid, reps, repStart);
	const started = performance.now();
	const rows: Row[] = [];
	for (const [i, spec] of specs.entries()) {
		rows.push(...runTrace(spec));
		if ((i + 1) % 200 === 0) {
			process.stderr.write(`  ${i + 1}/${specs.length} traces, ${((performance.now() - started) / 1000).toFixed(0)}s\n`);
		}
	}

	const identifiable = rows.filter(row => row.spec.identifiable);
	const seconds = ((performance.now() - started) / 1000).toFixed(0);
	const text = [
		`# Growth verdict benchmark`,
		'',
		`${specs.length} generated traces (grid ${grid}, ${reps} replicates from ${repStart}), each method on 12 prefixes; ${seconds}s on this machine.`,
		`Identifiable traces: the run is at least 4× the slowest noise time scale (${identifiable.length / METHODS.length} traces).`,
		'',
		table(identifiable, 'Identifiable traces'),
		'',
		table(rows.filter(row => !row.spec.identifiable), 'Not identifiable (undecided is the honest answer)'),
		'',
		needMoreQuality(identifiable),
		'',
		'### memmon by family (identifiable traces)',
		'',
		byFamily(identifiable),
		'',
		'Reference (the design\'s Python reference implementation on the design\'s full grid, 7,200 traces): false leak 1.1% / 0.9%, missed 0.2%, undecided 33.6%, decided but wrong 0.8%, coverage 90.5%.',
		'',
		...option('--real', 'bench/real') === 'none' ? [] : REAL_SETS.flatMap(set => {
			const dir = option(set.flag, set.dir);
			return [corpusReport(scoreCorpus(loadCorpus(dir)), set.title, `${dir}/`), '', ...set.note ? [set.note, ''] : []];
		}),
	].join('\n');
	process.stdout.write(`${text}\n`);
	fs.writeFileSync(out, `${text}\n`);
}

main();
