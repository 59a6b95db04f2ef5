/**
What a run wires around its session: the metrics endpoint and the line sinks (`--plain`,
`--json`) it feeds, and the ways it stops — signals (SIGUSR2 marks), an error inside memmon, a terminal that went away.
*/
import type {Session} from '../session.js';
import {JsonSink} from '../sinks/json.js';
import {descriptorWriter, PlainSink} from '../sinks/plain.js';
import type {MetricsServer} from '../metrics.js';
import type {RunOptions} from '../options.js';
import type {RunFacts} from '../record/run-report.js';
import {count} from '../units.js';
import {version} from '../version.js';

/** The plain-line or NDJSON sink of a run, subscribed to its session. */
export function attachSinks(session: Session, options: {readonly plain: boolean; readonly json: boolean; readonly printEveryMs: number; readonly intervalMs: number; readonly startedAtMs: number; readonly runDir: string}): {plain: PlainSink | undefined; json: JsonSink | undefined} {
	const plain = options.plain && !options.json ? new PlainSink(descriptorWriter(2, process.stderr), options.printEveryMs, options.intervalMs) : undefined;
	const json = options.json ? new JsonSink(text => process.stdout.write(text), options.startedAtMs) : undefined;
	if (json) {
		session.subscribe(() => {
			json.update(session.snapshot());
		});
	}

	if (plain) {
		let diskError: string | undefined;
		let recreated = 0;
		session.subscribe(() => {
			const snapshot = session.snapshot();
			if (snapshot.folderRecreated > recreated) {
				plain.note(`the run folder ${options.runDir} was deleted: memmon made it again, with samples.csv (every sample so far) and run.json`);
				recreated = snapshot.folderRecreated;
			}

			if (snapshot.diskError !== diskError) {
				plain.note(snapshot.diskError ? `cannot write samples.csv (${snapshot.diskError}); sampling goes on, ${count(session.sampleLog.pending, 'sample')} waiting` : 'samples.csv is writable again; the waiting samples were written');
				diskError = snapshot.diskError;
			}

			plain.update(snapshot);
		});
	}

	return {plain, json};
}

/** The ways a run stops, installed on the process until `remove()`. */
export type Stops = {
	/** A stop by `by` (a key, a signal), as a callback. */
	readonly stopBy: (by: string) => () => void;
	/** The error inside memmon that stopped the run, if one did. */
	readonly internalError: () => string | undefined;
	readonly remove: () => void;
};

/**
SIGINT, SIGTERM and SIGHUP stop the run; SIGUSR2 marks it (`kill -USR2 <memmon>` from a test
script between phases). An error inside memmon stops it too, to write what was recorded and exit 1;
a terminal that went away (EIO/EPIPE on a write to it) is a hang-up, not a bug: it stops as SIGHUP
would.
*/
export function installStops(session: Session): Stops {
	let internalError: string | undefined;
	const onInternalError = (error: unknown): void => {
		const code = (error as NodeJS.ErrnoException | undefined)?.code;
		if (code === 'EIO' || code === 'EPIPE') {
			session.stop({kind: 'stopped', by: 'SIGHUP'});
			return;
		}

		internalError ??= error instanceof Error ? error.message : String(error);
		session.stop({kind: 'stopped', by: 'error'});
	};

	const ignoreTerminalGone = (): void => {};
	process.stdout.on('error', ignoreTerminalGone);
	process.stderr.on('error', ignoreTerminalGone);
	process.on('uncaughtException', onInternalError);
	process.on('unhandledRejection', onInternalError);
	const stopBy = (by: string) => () => {
		session.stop({kind: 'stopped', by});
	};

	let signalMarks = 0;
	const signalHandlers: Array<[NodeJS.Signals, () => void]> = [
		['SIGINT', stopBy('SIGINT')],
		['SIGTERM', stopBy('SIGTERM')],
		['SIGHUP', stopBy('SIGHUP')],
		['SIGUSR2', () => {
			session.mark(`signal ${++signalMarks}`);
		}],
	];
	for (const [signal, handler] of signalHandlers) {
		process.on(signal, handler);
	}

	return {
		stopBy,
		internalError: () => internalError,
		remove() {
			for (const [signal, handler] of signalHandlers) {
				process.off(signal, handler);
			}

			process.off('uncaughtException', onInternalError);
			process.off('unhandledRejection', onInternalError);
		},
	};
}

/** The `target` label of the metrics: `system`, the command line, or `pid:N`. */
function metricsTarget(target: RunOptions['target'], resumed: RunFacts | undefined): string {
	if (target.kind === 'system' || resumed?.system) {
		return 'system';
	}

	if (target.kind === 'command') {
		return target.argv.join(' ');
	}

	if (target.kind === 'pid') {
		return `pid:${target.pid}`;
	}

	return resumed?.command?.join(' ') ?? `pid:${resumed?.pid ?? 0}`;
}

/** The metrics endpoint: a port that cannot be bound is an error now, before anything is written. */
export async function openMetrics(options: RunOptions, resumed: RunFacts | undefined, snapshot: () => ReturnType<Session['snapshot']> | undefined): Promise<MetricsServer | undefined> {
	if (!options.metrics) {
		return undefined;
	}

	// prom-client (~12 MiB) is loaded only when asked for.
	const {RunMetrics, serveMetrics} = await import('../metrics.js');
	const system = options.target.kind === 'system' || resumed?.system === true;
	const metrics = new RunMetrics({label: resumed?.label ?? options.label, target: metricsTarget(options.target, resumed), mode: system ? 'system' : 'process', version: version()});
	return serveMetrics(metrics, options.metrics.host, options.metrics.port, snapshot);
}
