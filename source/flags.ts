/**
The one table of memmon's flags. The parser (meow's flag list), the checks for unknown, repeated
and misplaced flags, the negative-value glue and the option lines of `--help` are all read from
it, so a flag added here is parsed, checked and documented at once.
*/

/** The commands: `run` is memmon without a command word (`--pid`, `-- COMMAND`, `--system`). */
export type Command = 'run' | 'analyze' | 'compare' | 'report';

/** One flag. */
export type Flag = {
	/** kebab-case, without dashes. */
	readonly name: string;
	readonly type: 'string' | 'boolean' | 'number';
	/** meow's default (booleans). */
	readonly default?: boolean;
	/** The commands that take it. */
	readonly commands: readonly Command[];
	/** The help section it is listed in. */
	readonly section: string;
	/** The left column of its help line; default `--name`, or `--name VALUE`. */
	readonly usage?: string;
	readonly value?: string;
	/** Its help text, one string per line. */
	readonly help: readonly string[];
};

const RUN: readonly Command[] = ['run'];
const VERDICT: readonly Command[] = ['run', 'analyze', 'compare'];

/** The sections of the options part of `--help`, in order, with any text before their flags. */
export const SECTIONS: ReadonlyArray<{readonly title: string; readonly intro?: readonly string[]}> = [
	{title: 'Target'},
	{title: 'Sampling'},
	{title: 'Recording'},
	{title: 'Verdict and CI thresholds (also for analyze)'},
	{title: 'Operations'},
	{title: 'Marks and phases', intro: [
		'a mark starts a phase (per-phase table in the reports, marks on the chart and in samples.csv):',
		'key m (type a label, Enter) · kill -USR2 <memmon> · a workload line matching',
	]},
	{title: 'Where the memory goes', intro: [
		'a JVM in the tree (HotSpot), with no flag: its heap from the counters it publishes (what jstat',
		'reads) — objects that survived a collection, committed of its maximum — on the screen, in the',
		'reports and jvm-heap.csv; a JVM growing into its heap (its objects flat, or not yet collected',
		'in full) is not called a leak',
	]},
	{title: 'Display and export'},
];

export const FLAGS: readonly Flag[] = [
	{name: 'pid', type: 'string', commands: RUN, section: 'Target', value: 'PID', help: ['the process to attach to']},
	{name: 'children', type: 'boolean', default: true, commands: RUN, section: 'Target', usage: '--no-children', help: ['only the process itself, not its descendants']},
	{name: 'system', type: 'boolean', default: false, commands: RUN, section: 'Target', help: ['no process: the machine\'s memory from /proc/meminfo; the verdict is on "used"']},

	{name: 'interval', type: 'string', commands: RUN, section: 'Sampling', value: 'DUR', help: [
		'time between samples, 100ms to 1h               (default 1s, and',
		'every 200ms in the first 10s so a test of seconds is judged)',
	]},
	{name: 'duration', type: 'string', commands: RUN, section: 'Sampling', value: 'DUR', help: ['stop after DUR; a spawned command is then stopped (default: until it exits)']},
	{name: 'pss-every', type: 'string', commands: RUN, section: 'Sampling', value: 'DUR', help: [
		'read PSS/USS (smaps, costly) this often  (default: as often as 0.005%',
		'of a core allows: 10s at most, ~1m for a small target, up to 10m for a big one)',
	]},

	{name: 'checkpoint', type: 'string', commands: RUN, section: 'Recording', value: 'DUR', help: [
		'rewrite the reports (marked partial) this often   (default 5m; also key r;',
		'the first comes 30 s in)',
	]},
	{name: 'resume', type: 'string', commands: RUN, section: 'Recording', value: 'RUN_DIR', help: [
		'after memmon died: continue that run in its folder if its target (same',
		'PID and start time; for --system, the same host) is still alive; else',
		'exit 2, touching nothing. A spawned workload outlives memmon (it writes',
		'workload.log itself) and is stopped at the first run\'s --duration',
	]},
	{name: 'junit', type: 'string', commands: RUN, section: 'Recording', value: 'FILE', help: [
		'also write JUnit XML (one test case per threshold) to FILE at the end;',
		'report.md is appended to $GITHUB_STEP_SUMMARY when that is set',
	]},
	{name: 'label', type: 'string', commands: ['run', 'report'], section: 'Recording', value: 'NAME', help: ['name of the run, used in its folder name (default: the program\'s name)']},
	{name: 'report-dir', type: 'string', commands: ['run', 'report'], section: 'Recording', value: 'DIR', help: [
		'where run folders go                             (default ./memmon-reports)',
		'each run writes DIR/LABEL-YYYYMMDD-HHMMSS/{run.json,samples.csv,',
		'workload.log,report.txt,report.json,report.md,report.html};',
		'DIR/latest: the newest',
	]},

	{name: 'max-growth', type: 'string', commands: VERDICT, section: 'Verdict and CI thresholds (also for analyze)', value: 'SIZE', help: ['fail (exit 1) when memory grew by more than SIZE, e.g. 50MB', '(not counted: the loading of a started command\'s runtime, or of a', 'program it starts later; a build or setup it ran first; a warm-up', 'that levelled off; where the command goes on after its workload exits,', 'what comes after: growth is the workload\'s, to where it ended)']},
	{name: 'max-rate', type: 'string', commands: VERDICT, section: 'Verdict and CI thresholds (also for analyze)', value: 'RATE', help: ['fail when the growth rate is above RATE with 95% confidence, e.g. 1MB/h', '(judged once the verdict can tell a warm-up from a leak)']},
	{name: 'bands', type: 'string', commands: VERDICT, section: 'Verdict and CI thresholds (also for analyze)', value: 'LOW,HIGH', help: [
		'rate bands in MiB/h: acceptable < LOW, warning up to HIGH, failure above',
		'(default 1,5); the verdict fails the run on "failure" or "leak"',
	]},
	{name: 'warmup', type: 'string', commands: VERDICT, section: 'Verdict and CI thresholds (also for analyze)', value: 'DUR|auto|0', help: [
		'time to drop at the start before the rate is judged (default auto: cut',
		'only where growth levels off; a straight line is all growth)',
	]},
	{name: 'verdict-gate', type: 'boolean', commands: VERDICT, section: 'Verdict and CI thresholds (also for analyze)', usage: '--[no-]verdict-gate', help: [
		'whether the verdict (failure, or leak) fails the run; by default only',
		'when no --max-growth, --max-rate or --baseline-tolerance is given',
	]},
	{name: 'baseline-tolerance', type: 'string', commands: VERDICT, section: 'Verdict and CI thresholds (also for analyze)', value: 'SIZE', help: [
		'cleanup check: fail when the last phase ends more than SIZE above the',
		'first phase\'s level (phases come from marks), e.g. 10MB',
	]},

	{name: 'ops', type: 'string', commands: RUN, section: 'Operations', value: 'N', help: [
		'the workload does N operations (100000, 100K, 1M): reports and compare',
		'give growth per 100K operations',
	]},
	{name: 'ops-pattern', type: 'string', commands: RUN, section: 'Operations', value: 'REGEX', help: [
		'or read the count from a workload line, e.g. --ops-pattern \'done (\\d+) ops\'',
		'(growth per 100K operations counts from the first such line, or from',
		'a warm-up\'s end after it, over the operations done since)',
	]},

	{name: 'mark-pattern', type: 'string', commands: RUN, section: 'Marks and phases', value: 'REGEX', help: ['e.g. --mark-pattern \'PHASE (\\w+)\' (label: the first capture group)']},

	{name: 'tracemalloc', type: 'boolean', default: false, commands: RUN, section: 'Where the memory goes', help: [
		'a spawned Python workload: trace its allocations (tracemalloc; Python',
		'runs slower and larger while it does) and report the lines whose memory',
		'stayed, from a snapshot taken once the run is under way to one at its end',
	]},
	{name: 'heap-snapshots', type: 'boolean', default: false, commands: RUN, section: 'Where the memory goes', help: [
		'a spawned Node, Bun or Deno (run -A) workload (an attached Node one',
		'with --open-inspector): take heap snapshots once the run is under way,',
		'when the verdict turns to warning, failure or leak and on the h key (the',
		'screen then shows what grew), and at its end; report the constructors',
		'whose instances grew, with what holds them. Each snapshot pauses the',
		'workload for seconds (18 s for 3 million objects), raises its RSS for a',
		'while and takes about twice its heap on disk: find what grows with it,',
		'measure the rate without it',
	]},
	{name: 'js-heap', type: 'boolean', default: false, commands: RUN, section: 'Where the memory goes', help: [
		'a spawned Node workload: its JavaScript heap after each full garbage',
		'collection — the objects still live, V8\'s heap size, Buffers — on the',
		'screen and in the reports: tells objects that stay from V8 sizing its',
		'heap, which RSS cannot. Costs next to nothing (a preload in NODE_OPTIONS)',
	]},
	{name: 'open-inspector', type: 'boolean', default: false, commands: RUN, section: 'Where the memory goes', help: [
		'with --pid and --heap-snapshots, an attached Node process: memmon sends',
		'it SIGUSR1 to open its inspector (on 127.0.0.1) and takes the snapshots',
		'through it. The inspector stays open after the run (closing it from',
		'outside can crash Node 20): restart the process to close it',
	]},

	{name: 'plain', type: 'boolean', default: false, commands: RUN, section: 'Display and export', help: [
		'no live screen: one line per sample on stderr, the workload\'s output',
		'(stdout and stderr) on stdout (automatic when stdout is not a terminal',
		'or CI=true)',
	]},
	{name: 'json', type: 'boolean', default: false, commands: ['run', 'analyze', 'compare', 'report'], section: 'Display and export', help: [
		'NDJSON on stdout: one object per sample, one per verdict change, and a',
		'final summary (report.json\'s fields); no screen, the workload\'s output',
		'goes to stderr. (analyze: one object per file; report, compare: JSON)',
	]},
	{name: 'metrics-port', type: 'number', commands: RUN, section: 'Display and export', value: 'PORT', help: [
		'serve Prometheus metrics at http://HOST:PORT/metrics (0: a free port,',
		'printed at start and kept in run.json)',
	]},
	{name: 'metrics-host', type: 'string', commands: RUN, section: 'Display and export', value: 'HOST', help: [
		'the address to listen on (default 127.0.0.1, this machine only;',
		'0.0.0.0 exposes the metrics to the network: an explicit choice)',
	]},
	{name: 'print-every', type: 'string', commands: RUN, section: 'Display and export', value: 'DUR', help: ['in plain mode, print a line every DUR          (default: every sample)']},
	{name: 'kill-grace', type: 'string', commands: RUN, section: 'Display and export', value: 'DUR', help: ['time a spawned command gets between SIGTERM and SIGKILL (default 5s)']},
	{name: 'markdown', type: 'boolean', default: false, commands: ['compare'], section: '', help: []},
	{name: 'since', type: 'string', commands: ['report'], section: '', help: []},
];

/** Answered wherever they stand among memmon's flags, by every command. */
const ALWAYS = ['help', 'version', 'h', 'v'];

const camel = (name: string): string => name.replace(/-(\w)/g, (_, c: string) => c.toUpperCase());

/** One of meow's flag specs. */
export type MeowFlag = {readonly type: 'string'} | {readonly type: 'number'} | {readonly type: 'boolean'; readonly default?: boolean};

/** meow's flag list: camelCase names, types and defaults. */
export function meowFlags(): Record<string, MeowFlag> {
	return Object.fromEntries(FLAGS.map((flag): [string, MeowFlag] => [camel(flag.name), flag.type === 'boolean' && flag.default !== undefined ? {type: 'boolean', default: flag.default} : {type: flag.type}]));
}

/** Every flag name memmon knows (kebab-case, with -h/-v). */
export const KNOWN: ReadonlySet<string> = new Set([...FLAGS.map(flag => flag.name), ...ALWAYS]);

/** The flags that take a value: `--duration -5m` is glued to `--duration=-5m` for them. */
export const VALUED: ReadonlySet<string> = new Set(FLAGS.filter(flag => flag.type !== 'boolean').map(flag => `--${flag.name}`));

/** The flags one command takes (with --help and --version). */
export function flagsOf(command: Command): Set<string> {
	return new Set([...FLAGS.filter(flag => flag.commands.includes(command)).map(flag => flag.name), ...ALWAYS]);
}

/** The commands that take a flag. */
export function ownersOf(name: string): Command[] {
	return (['run', 'analyze', 'compare', 'report'] as const).filter(command => flagsOf(command).has(name));
}

/** The options part of `--help`: each section's title, text and flag lines, indented as the rest of the help. */
export function optionsHelp(): string {
	const column = 26;
	const lines: string[] = [];
	for (const section of SECTIONS) {
		lines.push(`  ${section.title}`);
		for (const text of section.intro ?? []) {
			lines.push(`    ${text}`);
		}

		for (const flag of FLAGS.filter(flag => flag.section === section.title)) {
			const usage = flag.usage ?? (flag.value === undefined ? `--${flag.name}` : `--${flag.name} ${flag.value}`);
			const [first, ...rest] = flag.help;
			if (usage.length + 4 + 2 > column) {
				lines.push(`    ${usage}`, `${' '.repeat(column)}${first ?? ''}`);
			} else {
				lines.push(`    ${usage.padEnd(column - 4)}${first ?? ''}`);
			}

			for (const text of rest) {
				lines.push(`${' '.repeat(column)}${text}`);
			}
		}

		if (section.title === 'Display and export') {
			lines.push(`    ${'-h, --help'.padEnd(column - 4)}this help (anywhere among memmon's flags); -v, --version: the version`);
		}

		lines.push('');
	}

	return lines.join('\n');
}
