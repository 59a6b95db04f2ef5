/**
`memmon --pid PID` and `memmon -- COMMAND`: one monitoring run from start to final report.

  target ─► sampler ─► Monitor ─► SeriesStore ─► assess ─► snapshot ─► live view | plain lines
                          └──────► samples.csv                └──────► report.txt / report.json

This is an edge: it owns the process, the signals, the files and the terminal. Everything it
wires together is tested on its own.
*/
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {systemClock, type Clock} from '../clock.js';
import type {EndReason} from '../monitor.js';
import {UsageError, type RunOptions} from '../options.js';
import type {RunEnd, RunFacts} from '../record/report.js';
import {renderTextReport} from '../record/reports/text.js';
import {createRunDir, writeAtomic} from '../record/run-dir.js';
import {createSampler} from '../sampler/index.js';
import {Session} from '../session.js';
import {PlainSink} from '../sinks/plain.js';
import {attach} from '../target/attach.js';
import {spawnWorkload, type Workload, type WorkloadExit} from '../target/spawn.js';
import type {LiveSource} from '../ui/app.js';
import {sanitizeLine} from '../ui/text.js';
import {formatDuration} from '../units.js';
import {version} from '../version.js';

const TAIL_LINES = 50;
const CHECKPOINT_MS = 5 * 60_000;

const signalNumbers: Readonly<Record<string, number>> = {SIGHUP: 1, SIGINT: 2, SIGKILL: 9, SIGTERM: 15};

/** What the process should exit with. */
export type RunResult = {readonly exitCode: number};

/**
The exit code for how a run ended: the spawned command's non-zero code wins; then a stop by a
signal (128 + N); then 1 when a threshold or the verdict failed; else 0.
*/
export function exitCodeFor(end: RunEnd, thresholds: ReadonlyArray<{status: string}> = []): number {
	if (end.reason === 'target-exited' && end.exitCode !== undefined && end.exitCode !== 0) {
		if (end.exitCode !== null) {
			return end.exitCode;
		}

		return 128 + (signalNumbers[end.signal ?? ''] ?? 1);
	}

	if (end.reason === 'stopped') {
		if (end.by === 'error') {
			return 1;
		}

		const signal = signalNumbers[end.by ?? ''];
		if (signal !== undefined) {
			return 128 + signal;
		}
	}

	return thresholds.some(threshold => threshold.status === 'fail') ? 1 : 0;
}

function describeEnd(reason: EndReason, exit: WorkloadExit | undefined, spawned: boolean): RunEnd {
	if (reason.kind === 'target-exited') {
		if (!spawned) {
			return {reason: 'target-exited', text: 'target exited'};
		}

		const how = exit?.signal ? `killed by ${exit.signal}` : `exit code ${exit?.code ?? '?'}`;
		return {reason: 'target-exited', exitCode: exit?.code ?? null, signal: exit?.signal ?? null, text: `target exited (${how})`};
	}

	if (reason.kind === 'duration') {
		return {reason: 'duration', text: spawned ? 'duration reached (workload stopped)' : 'duration reached'};
	}

	const by = reason.by;
	const text = by === 'q' ? 'stopped with q' : by === 'error' ? 'stopped by an error in memmon' : `interrupted by ${by}`;
	return {reason: 'stopped', by, text};
}

/** Run memmon on a target until it ends; resolves with the exit code. */
export async function run(options: RunOptions, clock: Clock = systemClock()): Promise<RunResult> {
	// 1. The target, checked before anything is written.
	let identity = options.target.kind === 'pid' ? attach(options.target.pid) : undefined;

	// 2. The run folder, checked before sampling starts.
	const startWall = clock.wallNow();
	const runDir = createRunDir(options.reportDir, options.label, startWall);

	// 3. The workload, when spawning. Its output goes to workload.log (and, in plain mode, through).
	const tail: string[] = [];
	let partialLine = '';
	let workload: Workload | undefined;
	let logFd: number | undefined;
	if (options.target.kind === 'command') {
		logFd = fs.openSync(path.join(runDir, 'workload.log'), 'a');
		const fd = logFd;
		try {
			workload = await spawnWorkload(options.target.argv, {
				stdin: options.plain ? 'inherit' : 'ignore',
				onOutput(chunk, stream) {
					try {
						fs.writeSync(fd, chunk);
					} catch {}

					if (options.plain) {
						(stream === 'stdout' ? process.stdout : process.stderr).write(chunk);
					} else {
						const parts = (partialLine + chunk.toString('utf8')).split(/\r?\n/);
						partialLine = parts.pop() ?? '';
						for (const line of parts) {
							tail.push(sanitizeLine(line));
						}

						if (tail.length > TAIL_LINES) {
							tail.splice(0, tail.length - TAIL_LINES);
						}
					}
				},
			});
		} catch (error) {
			fs.closeSync(fd);
			fs.rmSync(runDir, {recursive: true, force: true});
			throw error;
		}

		identity = workload.identity;
	}

	if (!identity) {
		throw new UsageError('nothing to watch');
	}

	const facts: RunFacts = {
		version: version(),
		label: options.label,
		command: options.target.kind === 'command' ? options.target.argv : undefined,
		pid: identity.pid,
		children: options.children,
		host: os.hostname(),
		startedAtMs: startWall,
		intervalMs: options.intervalMs,
		durationMs: options.durationMs,
		runDir,
	};
	writeAtomic(path.join(runDir, 'run.json'), `${JSON.stringify({
		memmon: facts.version,
		label: facts.label,
		command: facts.command ?? null,
		pid: facts.pid,
		start_time_ticks: identity.startTime,
		started_at: new Date(startWall).toISOString(),
		host: facts.host,
		platform: `${process.platform}-${process.arch}`,
		node: process.version,
		interval_seconds: options.intervalMs / 1000,
		duration_seconds: options.durationMs === undefined ? null : options.durationMs / 1000,
		children: options.children,
		report_dir: path.resolve(options.reportDir),
	}, null, 2)}\n`);

	// 4. The pipeline.
	const sampler = createSampler({
		target: identity,
		children: options.children,
		pssEveryMs: options.pssEveryMs,
		now: () => clock.now(),
		kind: process.env.MEMMON_SAMPLER === 'pidusage' ? 'pidusage' : undefined,
	});
	const spawned = workload !== undefined;
	const targetText = options.target.kind === 'command' ? options.target.argv.join(' ') : `PID ${identity.pid}`;
	const session = new Session({clock, sampler, facts, targetText, spawned, tail, checkpointMs: CHECKPOINT_MS, analysis: options.analysis});
	const plain = options.plain ? new PlainSink(text => process.stderr.write(text), options.printEveryMs) : undefined;
	if (plain) {
		session.subscribe(() => {
			plain.update(session.snapshot());
		});
	}

	// 5. Ways to stop.
	const stopBy = (by: string) => () => {
		session.stop({kind: 'stopped', by});
	};

	const signalHandlers: Array<[NodeJS.Signals, () => void]> = [
		['SIGINT', stopBy('SIGINT')],
		['SIGTERM', stopBy('SIGTERM')],
		['SIGHUP', stopBy('SIGHUP')],
	];
	for (const [signal, handler] of signalHandlers) {
		process.on(signal, handler);
	}

	void workload?.exited.then(() => {
		session.stop({kind: 'target-exited'});
	});

	// 6. The live view, loaded only when used (plain mode never loads React).
	let unmount: (() => void) | undefined;
	let waitUntilExit: Promise<unknown> | undefined;
	if (plain) {
		process.stderr.write(`memmon: watching ${targetText} (PID ${identity.pid}) every ${formatDuration(options.intervalMs)}; reports in ${runDir}\n`);
	} else {
		const [{render}, React, {App}] = await Promise.all([import('ink'), import('react'), import('../ui/app.js')]);
		const source: LiveSource = {
			subscribe: listener => session.subscribe(listener),
			snapshot: () => session.snapshot(),
			chart: (columns, zoom) => session.chart(columns, zoom),
			quit: stopBy('q'),
			interrupt: stopBy('SIGINT'),
			writeReport() {
				session.writePartial();
				session.publish();
			},
		};
		const instance = render(React.createElement(App, {source, interactive: Boolean(process.stdin.isTTY)}), {
			exitOnCtrlC: false,
			patchConsole: false,
		});
		unmount = () => {
			instance.unmount();
		};

		waitUntilExit = instance.waitUntilExit();
	}

	const reason = await session.run();

	// 7. The end, on every path: stop the workload, close the log, write the reports, restore the terminal.
	let exit: WorkloadExit | undefined;
	if (workload) {
		exit = workload.hasExited() ? await workload.exited : undefined;
		if (!exit) {
			session.notice = 'stopping the workload…';
			session.publish();
			exit = await workload.stop(options.killGraceMs);
		}
	}

	// When memmon stopped the workload, the exit code is memmon's, not the killed workload's.
	const ended = describeEnd(reason, exit, spawned);
	if (logFd !== undefined) {
		if (partialLine) {
			tail.push(sanitizeLine(partialLine));
		}

		fs.closeSync(logFd);
	}

	const {report, writeError} = session.finish(ended);
	for (const [signal, handler] of signalHandlers) {
		process.off(signal, handler);
	}

	if (unmount) {
		unmount();
		await waitUntilExit;
	}

	const text = renderTextReport(report);
	if (plain) {
		plain.summary(text, runDir);
	} else {
		process.stdout.write(`${text}\nReports: ${runDir}\n`);
	}

	if (writeError) {
		process.stderr.write(`memmon: could not write the final report (${writeError}); samples.csv holds the data: ${path.join(runDir, 'samples.csv')}\n`);
	}

	return {exitCode: writeError ? 1 : exitCodeFor(ended, report.assessment.thresholds)};
}
