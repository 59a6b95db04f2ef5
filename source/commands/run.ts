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
import {UsageError} from '../errors.js';
import type {RunOptions} from '../options.js';
import {targetName, type RunFacts} from '../record/run-report.js';
import {renderJsonReport} from '../record/reports/json.js';
import {renderTextReport} from '../record/reports/text.js';
import type {MetricsServer} from '../metrics.js';
import {JsonSink} from '../sinks/json.js';
import {createRunDir, writeAtomic} from '../record/run-dir.js';
import {createSampler} from '../sampler/index.js';
import {SystemSampler} from '../sampler/system.js';
import {DEFAULT_PSS_COST_SHARE} from '../sampler/tree.js';
import {Session} from '../session.js';
import {descriptorWriter, PlainSink} from '../sinks/plain.js';
import {attach} from '../target/attach.js';
import {commandLine} from '../target/identity.js';
import {preparePythonTrace, requestSnapshot, waitForSnapshot} from '../target/python-trace.js';
import {spawnWorkload, stopSpawnedGroup, type Workload, type WorkloadExit} from '../target/spawn.js';
import type {LiveSource} from '../ui/app.js';
import {sanitizeLine} from '../ui/sanitize.js';
import {count, formatBytes, formatDuration} from '../units.js';
import {version} from '../version.js';
import {workloadEnvironment} from '../environment.js';
import {prepareResume} from './resume.js';
import {describeEnd, exitCodeFor} from './run-end.js';

const TAIL_LINES = 50;
/** A workload line longer than this is cut (a progress bar without newlines must not grow memmon). */
const MAX_LINE = 8192;
/** workload.log stops growing here, with a note: a firehose must not fill the disk memmon writes its samples to. */
const MAX_LOG_BYTES = 256 * 1024 * 1024;
/** Plain mode passes the workload's output on; past this much waiting for a slow reader, it drops it (workload.log keeps it). */
const MAX_PASSTHROUGH_BACKLOG = 4 * 1024 * 1024;

/** What the process should exit with. */
export type RunResult = {readonly exitCode: number};

/**
Test-only fault injection (MEMMON_FAULT=throw-after:N): an uncaught error after N samples, to
prove that an error inside memmon still leaves a complete report. Off unless the variable is set.
*/
function injectFault(session: Session): void {
	const match = /^throw-after:(\d+)$/.exec(process.env.MEMMON_FAULT ?? '');
	if (!match) {
		return;
	}

	const after = Number(match[1]);
	const unsubscribe = session.subscribe(() => {
		if (session.store.count >= after) {
			unsubscribe();
			setImmediate(() => {
				throw new Error(`injected fault after ${after} samples (MEMMON_FAULT)`);
			});
		}
	});
}

/**
Diagnostics (MEMMON_TRACE_MEMORY=FILE): memmon's own process.memoryUsage() every 100 samples as
NDJSON, to tell heap growth from heap capacity or native memory in a long live run.
*/
function traceOwnMemory(session: Session): void {
	const file = process.env.MEMMON_TRACE_MEMORY;
	if (!file) {
		return;
	}

	session.subscribe(() => {
		if (session.store.count % 100 === 0) {
			try {
				fs.appendFileSync(file, `${JSON.stringify({samples: session.store.count, ...process.memoryUsage()})}\n`);
			} catch {}
		}
	});
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

/** Run memmon on a target until it ends; resolves with the exit code. */
export async function run(options: RunOptions, clock: Clock = systemClock()): Promise<RunResult> {
	// 1. The target, checked before anything is written.
	let identity = options.target.kind === 'pid' ? attach(options.target.pid) : undefined;
	const resumed = options.target.kind === 'resume' ? prepareResume(options.target.runDir, clock.wallNow()) : undefined;
	identity ??= resumed?.identity;

	// The metrics endpoint: a port that cannot be bound is an error now, before anything is written.
	let session: Session | undefined;
	let metricsServer: MetricsServer | undefined;
	if (options.metrics) {
		// prom-client (~12 MiB) is loaded only when asked for.
		const {RunMetrics, serveMetrics} = await import('../metrics.js');
		const system = options.target.kind === 'system' || resumed?.facts.system === true;
		const metrics = new RunMetrics({label: resumed?.facts.label ?? options.label, target: metricsTarget(options.target, resumed?.facts), mode: system ? 'system' : 'process', version: version()});
		metricsServer = await serveMetrics(metrics, options.metrics.host, options.metrics.port, () => session?.snapshot());
	}

	// A --junit file that cannot be written is an error now, not at the end.
	if (options.junit) {
		try {
			fs.accessSync(path.dirname(path.resolve(options.junit)), fs.constants.W_OK);
		} catch {
			throw new UsageError(`cannot write --junit ${options.junit}: its folder does not exist or is not writable; create it or choose another path`);
		}

		if (fs.statSync(options.junit, {throwIfNoEntry: false})?.isDirectory()) {
			throw new UsageError(`--junit ${options.junit} is a folder: give a file name, e.g. --junit ${path.join(options.junit, 'junit.xml')}`);
		}
	}

	// $GITHUB_STEP_SUMMARY is input too: a folder there would fail only after the whole run.
	const stepSummary = workloadEnvironment.GITHUB_STEP_SUMMARY || undefined;
	if (stepSummary !== undefined && fs.statSync(stepSummary, {throwIfNoEntry: false})?.isDirectory()) {
		throw new UsageError(`GITHUB_STEP_SUMMARY=${stepSummary} is a folder: point it at a file (GitHub sets it so), or unset it`);
	}

	// 2. The run folder, checked before sampling starts.
	const startWall = resumed?.startedAtMs ?? clock.wallNow();
	const runDir = resumed?.runDir ?? createRunDir(options.reportDir, options.label, startWall);

	// 3. The workload, when spawning. Its output goes to workload.log (and, in plain mode, through).
	// Lines matching --mark-pattern mark the run (queued until the session exists).
	const earlyMarks: string[] = [];
	let markFromOutput = (label: string): void => {
		earlyMarks.push(label);
	};

	const tail: string[] = [];
	let partialLine = '';
	/** Inside a line that was cut: its rest is skipped until the next line break. */
	let skipping = false;
	let droppedPassthrough = 0;
	let operationsSeen: number | undefined;
	/** The run's facts once made: --ops-pattern's count goes into them, and so into every report. */
	let runFacts: RunFacts | undefined;
	const takeLine = (line: string): void => {
		tail.push(sanitizeLine(line));
		const match = options.markPattern?.exec(line);
		if (match) {
			markFromOutput((match[1] ?? match[0]).trim() || 'mark');
		}

		const ops = options.opsPattern?.exec(line);
		const count = ops ? Number((ops[1] ?? ops[0]).replaceAll(/[,_]/g, '')) : Number.NaN;
		if (Number.isFinite(count) && count >= 0) {
			operationsSeen = count;
			if (runFacts && options.operations === undefined) {
				runFacts.operations = count;
			}
		}
	};

	let workload: Workload | undefined;
	const traceDir = options.tracemalloc ? path.join(runDir, 'tracemalloc') : undefined;
	if (options.target.kind === 'command') {
		try {
			workload = await spawnWorkload(options.target.argv, {
				stdin: options.plain && !options.json ? 'inherit' : 'ignore',
				logPath: path.join(runDir, 'workload.log'),
				env: traceDir ? preparePythonTrace(traceDir, workloadEnvironment) : undefined,
				maxLogBytes: MAX_LOG_BYTES,
				onOutput(chunk) {
					// With --json, stdout carries only memmon's NDJSON: the workload's output goes to stderr.
					// A reader slower than the workload never makes memmon buffer without bound.
					if (options.plain) {
						const out = options.json ? process.stderr : process.stdout;
						if (out.writableLength < MAX_PASSTHROUGH_BACKLOG) {
							out.write(chunk);
						} else {
							droppedPassthrough += chunk.length;
						}
					}

					// Lines end at \n, \r\n or \r (a progress bar redraws with \r); a line is cut at MAX_LINE.
					const parts = chunk.toString('utf8').split(/\r\n|\r|\n/);
					for (let i = 0; i < parts.length; i++) {
						const end = i < parts.length - 1;
						if (!skipping) {
							partialLine += parts[i]!;
						}

						if (end) {
							if (!skipping && partialLine) {
								takeLine(partialLine);
							}

							partialLine = '';
							skipping = false;
						} else if (partialLine.length > MAX_LINE) {
							takeLine(`${partialLine.slice(0, MAX_LINE)} … [line cut at ${count(MAX_LINE, 'character')}]`);
							partialLine = '';
							skipping = true;
						}
					}

					if (tail.length > TAIL_LINES) {
						tail.splice(0, tail.length - TAIL_LINES);
					}
				},
			});
		} catch (error) {
			fs.rmSync(runDir, {recursive: true, force: true});
			await metricsServer?.close();
			throw error;
		}

		identity = workload.identity;
	}

	const system = options.target.kind === 'system' || resumed?.facts.system === true;
	if (!identity && !system) {
		throw new UsageError('nothing to watch');
	}

	const facts: RunFacts = resumed?.facts ?? {
		version: version(),
		label: options.label,
		command: options.target.kind === 'command' ? options.target.argv : undefined,
		attached: options.target.kind === 'pid' ? commandLine(options.target.pid) : undefined,
		pid: identity?.pid ?? 0,
		system,
		children: options.children && !system,
		host: os.hostname(),
		startedAtMs: startWall,
		intervalMs: options.intervalMs,
		durationMs: options.durationMs,
		runDir,
		operations: options.operations ?? operationsSeen,
	};
	runFacts = facts;
	const runJsonText = resumed
		? `${JSON.stringify({...resumed.runJson, resumed: [...resumed.runJson.resumed ?? [], {at: new Date(clock.wallNow()).toISOString(), gap_seconds: resumed.gapSeconds, by_memmon: version()}]}, null, 2)}\n`
		: `${JSON.stringify({
		memmon: facts.version,
		label: facts.label,
		command: facts.command ?? null,
		attached_command: facts.attached ?? null,
		pid: system ? null : facts.pid,
		start_time_ticks: identity?.startTime ?? null,
		system,
		started_at: new Date(startWall).toISOString(),
		host: facts.host,
		platform: `${process.platform}-${process.arch}`,
		node: process.version,
		interval_seconds: options.intervalMs / 1000,
		duration_seconds: options.durationMs === undefined ? null : options.durationMs / 1000,
		children: facts.children,
		report_dir: path.resolve(options.reportDir),
		metrics_url: metricsServer?.url ?? null,
		operations: facts.operations ?? null,
	}, null, 2)}\n`;
	writeAtomic(path.join(runDir, 'run.json'), runJsonText);

	// 4. The pipeline.
	const sampler = identity ? createSampler({
		target: identity,
		children: facts.children,
		pssEveryMs: options.pssEveryMs,
		// Unless --pss-every says otherwise, PSS reads take at most 0.005% of a core.
		pssCostShare: options.pssAuto ? DEFAULT_PSS_COST_SHARE : undefined,
		now: () => clock.now(),
		kind: process.env.MEMMON_SAMPLER === 'pidusage' ? 'pidusage' : undefined,
	}) : new SystemSampler({now: () => clock.now()});
	const spawned = workload !== undefined;
	const targetText = options.target.kind === 'command' ? options.target.argv.join(' ') : `${targetName(facts)}${resumed ? ' (resumed)' : ''}`;
	session = new Session({clock, sampler, facts, targetText, spawned, tail, checkpointMs: options.checkpointMs, analysis: options.analysis, resume: resumed?.session,
		startup: options.startup,
		onFolderRecreated() {
			writeAtomic(path.join(runDir, 'run.json'), runJsonText);
		},
		// Without the live screen the verdict is read by plain lines, checkpoints, NDJSON and scrapes: every 10 s will do.
		verdictBaseMs: options.plain ? 10_000 : 5000,
		// The plain line has no system panel; the live screen and NDJSON show the machine's memory.
		machineMemory: !options.plain || options.json});
	if (metricsServer) {
		session.notice = `metrics at ${metricsServer.url}`;
	}

	for (const label of earlyMarks.splice(0)) {
		session.mark(label);
	}

	// --tracemalloc: the baseline snapshot once the run is under way (a fifth of --duration, at most
	// five minutes; else a minute in); the last one before memmon stops the workload. In a run
	// shorter than 50 s the workload's own snapshot a second in is the baseline: a snapshot takes a
	// second or more, and one asked for earlier would come after it, leaving the diff a sliver.
	const baselineAtMs = options.durationMs === undefined ? 60_000 : Math.min(0.2 * options.durationMs, 300_000);
	if (traceDir && baselineAtMs >= 10_000) {
		const unsubscribe = session.subscribe(() => {
			if (session!.elapsedMs >= baselineAtMs) {
				unsubscribe();
				requestSnapshot(traceDir, 'baseline');
			}
		});
	}

	markFromOutput = label => {
		session.mark(label);
	};
	// A resumed run keeps its recorded interval; --print-every still wins when given.
	const printEveryMs = resumed && options.printEveryMs === options.intervalMs ? facts.intervalMs : options.printEveryMs;
	const plain = options.plain && !options.json ? new PlainSink(descriptorWriter(2, process.stderr), printEveryMs, facts.intervalMs) : undefined;
	const json = options.json ? new JsonSink(text => process.stdout.write(text), facts.startedAtMs) : undefined;
	if (json) {
		session.subscribe(() => {
			json.update(session!.snapshot());
		});
	}

	if (plain) {
		let diskError: string | undefined;
		let recreated = 0;
		session.subscribe(() => {
			const snapshot = session.snapshot();
			if (snapshot.folderRecreated > recreated) {
				plain.note(`the run folder ${runDir} was deleted: memmon made it again, with samples.csv (every sample so far) and run.json`);
				recreated = snapshot.folderRecreated;
			}

			if (snapshot.diskError !== diskError) {
				plain.note(snapshot.diskError ? `cannot write samples.csv (${snapshot.diskError}); sampling goes on, ${count(session.sampleLog.pending, 'sample')} waiting` : 'samples.csv is writable again; the waiting samples were written');
				diskError = snapshot.diskError;
			}

			plain.update(snapshot);
		});
	}

	// An error inside memmon: stop, write what was recorded, exit 1. A terminal that went away
	// (EIO/EPIPE on a write to it) is a hang-up, not a bug: stop as SIGHUP would.
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
	injectFault(session);
	traceOwnMemory(session);
	// 5. Ways to stop.
	const stopBy = (by: string) => () => {
		session.stop({kind: 'stopped', by});
	};

	let signalMarks = 0;
	const signalHandlers: Array<[NodeJS.Signals, () => void]> = [
		['SIGINT', stopBy('SIGINT')],
		['SIGTERM', stopBy('SIGTERM')],
		['SIGHUP', stopBy('SIGHUP')],
		// SIGUSR2 marks the run: `kill -USR2 <memmon>` from a test script between phases.
		['SIGUSR2', () => {
			session.mark(`signal ${++signalMarks}`);
		}],
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
	if (options.plain) {
		process.stderr.write(`memmon: watching ${targetText}${system ? '' : ` (PID ${facts.pid})`} every ${formatDuration(facts.intervalMs)}; reports in ${runDir}${metricsServer ? `; metrics at ${metricsServer.url}` : ''}\n`);
	} else {
		const [{render}, React, {App}, {FrameWriter}] = await Promise.all([import('ink'), import('react'), import('../ui/app.js'), import('../ui/frame-writer.js')]);
		const writer = new FrameWriter(process.stdout);
		const source: LiveSource = {
			subscribe: listener => session.subscribe(listener),
			snapshot: () => session.snapshot(),
			chart: (columns, zoom) => session.chart(columns, zoom),
			quit: stopBy('q'),
			interrupt: stopBy('SIGINT'),
			mark(label) {
				session.mark(label);
			},
			writeReport() {
				session.writePartial();
				session.publish();
			},
			redraw() {
				writer.invalidate();
			},
		};
		const instance = render(React.createElement(App, {
			source,
			interactive: Boolean(process.stdin.isTTY),
			draw(lines: readonly string[], width: number) {
				writer.draw(lines, width);
			},
		}), {
			exitOnCtrlC: false,
			patchConsole: false,
		});
		unmount = () => {
			writer.finish();
			instance.unmount();
		};

		waitUntilExit = instance.waitUntilExit();
	}

	const reason = await session.run();

	// 7. The end, on every path: stop the workload, close the log, write the reports, restore the terminal.
	let exit: WorkloadExit | undefined;
	if (workload) {
		exit = workload.hasExited() ? await workload.exited : undefined;
		if (!exit && traceDir) {
			session.notice = 'tracemalloc: the last snapshot…';
			session.publish();
			requestSnapshot(traceDir, 'end');
			await waitForSnapshot(traceDir, 'end', 10_000);
		}

		if (!exit) {
			session.notice = 'stopping the workload…';
			session.publish();
			exit = await workload.stop(options.killGraceMs);
		}
	}

	// A resumed run of a workload memmon spawned ends as the first run would have: the workload goes too.
	const resumedWorkload = resumed !== undefined && Array.isArray(resumed.runJson.command) && resumed.identity !== undefined;
	if (resumedWorkload && reason.kind !== 'target-exited') {
		session.notice = 'stopping the workload…';
		session.publish();
		await stopSpawnedGroup(resumed.identity!, options.killGraceMs);
	}

	// When memmon stopped the workload, the exit code is memmon's, not the killed workload's.
	let ended = describeEnd(reason, exit, spawned || (resumedWorkload && reason.kind !== 'target-exited'));
	if (internalError) {
		ended = {...ended, text: `${ended.text}: ${internalError}`};
	}

	if (workload) {
		if (partialLine) {
			tail.push(sanitizeLine(partialLine));
		}

		const problem = workload.logProblem();
		if (problem) {
			process.stderr.write(`memmon: ${problem}\n`);
		}

		if (droppedPassthrough > 0) {
			process.stderr.write(`memmon: ${formatBytes(droppedPassthrough)} of the workload's output were not passed on (the reader was slower than the workload); workload.log has it\n`);
		}

		const escaped = workload.escaped();
		if (escaped.length > 0) {
			const names = escaped.slice(0, 5).map(p => `PID ${p.pid} ${p.name}`).join(', ');
			process.stderr.write(`memmon: ${escaped.length === 1 ? 'a process' : `${escaped.length} processes`} that left the workload's process group still ${escaped.length === 1 ? 'writes' : 'write'} to workload.log (${names}); memmon did not wait for ${escaped.length === 1 ? 'it' : 'them'}\n`);
		}
	}

	const {report, writeError} = session.finish(ended, {junit: options.junit, stepSummary});
	for (const [signal, handler] of signalHandlers) {
		process.off(signal, handler);
	}

	process.off('uncaughtException', onInternalError);
	process.off('unhandledRejection', onInternalError);

	if (unmount) {
		unmount();
		await waitUntilExit;
	}

	await metricsServer?.close();
	const text = renderTextReport(report);
	if (json) {
		json.summary(renderJsonReport(report), runDir);
		process.stderr.write(`memmon: ${report.end?.text ?? 'ended'}; reports in ${runDir}\n`);
	} else if (plain) {
		plain.summary(text, runDir);
	} else {
		process.stdout.write(`${text}\nReports: ${runDir}\n`);
	}

	if (internalError) {
		process.stderr.write(`memmon: internal error: ${internalError}; the report above holds what was recorded until then\n`);
	}

	if (writeError) {
		const log = session.sampleLog;
		const lost = log.pending + log.dropped;
		const held = lost > 0 ? `samples.csv holds ${count(log.written, 'sample')}; the last ${count(lost, 'sample')} could not be written` : 'samples.csv holds every sample';
		process.stderr.write(`memmon: could not write the final report (${writeError}); ${held}: ${path.join(runDir, 'samples.csv')} (memmon analyze rebuilds the reports from it)\n`);
	}

	return {exitCode: writeError ? 1 : exitCodeFor(ended, report.assessment.thresholds)};
}
