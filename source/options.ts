/**
Flags → validated options, or a usage error. Pure: no file system, no process table.
*/
import type {AnalysisConfig} from './analysis/index.js';
import {parseAnalysisOptions, type RawAnalysisFlags} from './options-analysis.js';
import {defaultLabel, durationFlag, markPattern, operationCount, sanitizeLabel, type TargetSpec} from './option-values.js';
import {UsageError} from './errors.js';

export type {TargetSpec} from './option-values.js';

/** Everything a run needs to know, validated. */
export type RunOptions = {
	readonly target: TargetSpec;
	/** Include the target's descendants. */
	readonly children: boolean;
	readonly intervalMs: number;
	/**
	When --interval was not given, the first `untilMs` are sampled every `intervalMs` (a test of a
	few seconds is then judged on tens of samples, not three); undefined when it was.
	*/
	readonly startup: {readonly intervalMs: number; readonly untilMs: number} | undefined;
	/** Stop after this long; `undefined` runs until the target exits or the user stops. */
	readonly durationMs: number | undefined;
	readonly label: string;
	readonly reportDir: string;
	/** No live screen: plain lines on stderr. */
	readonly plain: boolean;
	/** In plain mode, one line per this many milliseconds. */
	readonly printEveryMs: number;
	/** Read PSS/USS at most this often. */
	readonly pssEveryMs: number;
	/** No --pss-every: read PSS less often when it costs more (a large target). */
	readonly pssAuto: boolean;
	/** How long a spawned workload gets between SIGTERM and SIGKILL. */
	readonly killGraceMs: number;
	/** Rewrite the reports (partial) this often. */
	readonly checkpointMs: number;
	/** Write JUnit XML here at the end. */
	readonly junit: string | undefined;
	/** A workload output line matching this starts a phase (label: the first capture group). */
	readonly markPattern: RegExp | undefined;
	/** The number of operations the workload does (--ops), for growth per 100K operations. */
	readonly operations: number | undefined;
	/** A workload line that says how many operations are done so far (first capture group). */
	readonly opsPattern: RegExp | undefined;
	/** Bands, warm-up and CI thresholds. */
	readonly analysis: AnalysisConfig;
	/** `--json`: NDJSON on stdout instead of any screen. */
	readonly json: boolean;
	/** `--metrics-port`: serve Prometheus metrics here. */
	readonly metrics: {readonly host: string; readonly port: number} | undefined;
	/** `--tracemalloc`: trace a spawned Python workload's allocations. */
	readonly tracemalloc: boolean;
	/** `--heap-snapshots`: heap snapshots of a spawned Node, Deno or Bun workload, or with `--open-inspector` of an attached one. */
	readonly heapSnapshots: boolean;
	/** `--js-heap`: a spawned Node workload's heap after each full garbage collection. */
	readonly jsHeap: boolean;
	/** `--open-inspector`: an attached Node process's heap snapshots through its inspector (SIGUSR1). */
	readonly openInspector: boolean;
};

/** The raw flag values, as meow hands them over. */
export type RawRunFlags = RawAnalysisFlags & {
	/** As typed: only decimal digits make a PID (0x10, 1e1 and 0o7 do not). */
	readonly pid?: string | undefined;
	readonly system?: boolean | undefined;
	readonly children?: boolean | undefined;
	readonly interval?: string | undefined;
	readonly duration?: string | undefined;
	readonly label?: string | undefined;
	readonly reportDir?: string | undefined;
	readonly plain?: boolean | undefined;
	readonly printEvery?: string | undefined;
	readonly pssEvery?: string | undefined;
	readonly killGrace?: string | undefined;
	readonly checkpoint?: string | undefined;
	readonly resume?: string | undefined;
	readonly junit?: string | undefined;
	readonly markPattern?: string | undefined;
	readonly ops?: string | undefined;
	readonly opsPattern?: string | undefined;
	readonly json?: boolean | undefined;
	readonly metricsPort?: number | undefined;
	readonly metricsHost?: string | undefined;
	readonly tracemalloc?: boolean | undefined;
	readonly heapSnapshots?: boolean | undefined;
	readonly jsHeap?: boolean | undefined;
	readonly openInspector?: boolean | undefined;
};

/** What memmon knows about where it runs. */
export type Environment = {
	readonly stdoutIsTTY: boolean;
	readonly ci: boolean;
};

export const MIN_INTERVAL_MS = 100;
export const MAX_INTERVAL_MS = 3_600_000;
/**
Without --interval, the first STARTUP_MS of a run are sampled every STARTUP_INTERVAL_MS: a CI test
of a few seconds gets ~5 samples a second to judge instead of one (at 1 s, a 3-s test had four
samples and its growth gate stayed undecided), and a test that ends between two 1-s samples is
still seen. Ten seconds at 5 Hz cost ~50 reads, nothing a user can notice.
*/
export const STARTUP_MS = 10_000;
export const STARTUP_INTERVAL_MS = 200;

/** What to watch, from --pid, --system, --resume or the command; exactly one of them. */
function targetOf(flags: RawRunFlags, command: readonly string[]): TargetSpec {
	const hasPid = flags.pid !== undefined;
	const hasCommand = command.length > 0;
	const system = Boolean(flags.system);
	if (hasPid && hasCommand) {
		throw new UsageError('give either --pid or a command after `--`, not both');
	}

	if (system && (hasPid || hasCommand)) {
		throw new UsageError('--system watches the whole machine: give it without --pid or a command');
	}

	if (flags.resume !== undefined && (hasPid || hasCommand || system)) {
		throw new UsageError('--resume continues the run in its folder: give it alone, without --pid, --system or a command');
	}

	if (!hasPid && !hasCommand && !system && flags.resume === undefined) {
		throw new UsageError('nothing to watch: give --pid PID, a command after `--` (e.g. `memmon -- node server.js`), or --system; see memmon --help');
	}

	if (flags.resume !== undefined) {
		return {kind: 'resume', runDir: flags.resume};
	} else if (system) {
		return {kind: 'system'};
	} else if (hasPid) {
		const text = flags.pid!.trim();
		if (text === '') {
			throw new UsageError('--pid needs a process ID: e.g. --pid 1234 (find one with `pgrep -f NAME`)');
		}

		if (!/^\d+$/.test(text) || Number(text) <= 0 || Number(text) > 4_194_304) {
			throw new UsageError(`--pid ${flags.pid} is not a process ID: use its decimal number, e.g. --pid 1234`);
		}

		return {kind: 'pid', pid: Number(text)};
	} else {
		return {kind: 'command', argv: command};
	}
}

/** --metrics-port and --metrics-host: where to serve Prometheus metrics, if anywhere. */
function metricsOf(flags: RawRunFlags): RunOptions['metrics'] {
	if (flags.metricsPort !== undefined) {
		const port = flags.metricsPort;
		if (!Number.isInteger(port) || port < 0 || port > 65_535) {
			throw new UsageError(`--metrics-port ${String(port)} is not a TCP port: use 0 to 65535, e.g. --metrics-port 9464`);
		}

		const host = flags.metricsHost ?? '127.0.0.1';
		if (host.trim() === '') {
			throw new UsageError('--metrics-host is empty: give an address to listen on, e.g. --metrics-host 127.0.0.1');
		}

		return {host, port};
	} else if (flags.metricsHost !== undefined) {
		throw new UsageError('--metrics-host needs --metrics-port: e.g. --metrics-port 9464 --metrics-host 0.0.0.0');
	}

	return undefined;
}

/** Validate the flags of a monitoring run. */
export function parseRunOptions(flags: RawRunFlags, command: readonly string[], environment: Environment): RunOptions {
	const target = targetOf(flags, command);

	const intervalMs = durationFlag('interval', flags.interval ?? '1s', '5s');
	if (intervalMs < MIN_INTERVAL_MS || intervalMs > MAX_INTERVAL_MS) {
		throw new UsageError(`--interval ${flags.interval ?? ''} is out of range: use 100ms to 1h`);
	}

	const startup = flags.interval === undefined ? {intervalMs: STARTUP_INTERVAL_MS, untilMs: STARTUP_MS} : undefined;
	const durationMs = flags.duration === undefined ? undefined : durationFlag('duration', flags.duration, '10m');
	const printEveryMs = flags.printEvery === undefined ? intervalMs : durationFlag('print-every', flags.printEvery, '1m');
	const pssEveryMs = flags.pssEvery === undefined ? Math.max(intervalMs, 10_000) : durationFlag('pss-every', flags.pssEvery, '30s');
	const killGraceMs = flags.killGrace === undefined ? 5000 : durationFlag('kill-grace', flags.killGrace, '10s');
	if (killGraceMs > 3_600_000) {
		throw new UsageError(`--kill-grace ${flags.killGrace} is too long: use at most 1h`);
	}

	if (flags.tracemalloc && target.kind !== 'command') {
		throw new UsageError('--tracemalloc traces a Python workload memmon starts: give it after `--`, e.g. memmon --tracemalloc -- python3 app.py');
	}

	if (flags.jsHeap && target.kind !== 'command') {
		throw new UsageError('--js-heap reads the heap of a Node workload memmon starts: give it after `--`, e.g. memmon --js-heap -- node app.js');
	}

	if (flags.openInspector && !(flags.heapSnapshots && target.kind === 'pid')) {
		throw new UsageError('--open-inspector opens an attached Node process\'s inspector for heap snapshots: give it with --pid and --heap-snapshots, e.g. memmon --pid 1234 --heap-snapshots --open-inspector');
	}

	if (flags.heapSnapshots && target.kind === 'pid' && !flags.openInspector) {
		throw new UsageError('--heap-snapshots of an attached process takes its inspector, which takes a signal (SIGUSR1), and memmon never signals a target unasked: add --open-inspector, or start the program under memmon (memmon --heap-snapshots -- node app.js)');
	}

	if (flags.heapSnapshots && target.kind !== 'command' && target.kind !== 'pid') {
		throw new UsageError('--heap-snapshots snapshots a Node workload memmon starts, or one given by --pid with --open-inspector: e.g. memmon --heap-snapshots -- node app.js');
	}

	if (flags.junit === '') {
		throw new UsageError('--junit needs a file name: e.g. --junit junit.xml');
	}
	const checkpointMs = flags.checkpoint === undefined ? 300_000 : durationFlag('checkpoint', flags.checkpoint, '5m');

	let label = defaultLabel(target);
	if (flags.label !== undefined) {
		label = sanitizeLabel(flags.label);
		if (!label) {
			throw new UsageError(`--label ${JSON.stringify(flags.label)} has no usable characters: use letters, digits, '.', '_' or '-'`);
		}
	}

	const reportDir = flags.reportDir ?? 'memmon-reports';
	if (reportDir.trim() === '') {
		throw new UsageError('--report-dir is empty: give a folder, e.g. --report-dir ./reports');
	}

	const metrics = metricsOf(flags);
	const json = Boolean(flags.json);
	return {
		target,
		children: flags.children ?? true,
		intervalMs,
		startup,
		durationMs,
		label,
		reportDir,
		plain: Boolean(flags.plain) || json || !environment.stdoutIsTTY || environment.ci,
		printEveryMs,
		pssEveryMs,
		pssAuto: flags.pssEvery === undefined,
		killGraceMs,
		checkpointMs,
		junit: flags.junit,
		markPattern: markPattern(flags.markPattern),
		operations: operationCount(flags.ops),
		opsPattern: markPattern(flags.opsPattern, 'ops-pattern', "'done (\\d+) ops'"),
		analysis: parseAnalysisOptions(flags),
		json,
		metrics,
		tracemalloc: Boolean(flags.tracemalloc),
		heapSnapshots: Boolean(flags.heapSnapshots),
		jsHeap: Boolean(flags.jsHeap),
		openInspector: Boolean(flags.openInspector),
	};
}
