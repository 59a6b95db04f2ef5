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
import {heapLine} from '../record/heap-diff.js';
import type {MetricsServer} from '../metrics.js';
import {createRunDir, writeAtomic} from '../record/run-dir.js';
import {createSampler} from '../sampler/index.js';
import {SystemSampler} from '../sampler/system.js';
import {DEFAULT_PSS_COST_SHARE} from '../sampler/tree.js';
import {Session} from '../session.js';
import {attach} from '../target/attach.js';
import {commandLine} from '../target/identity.js';
import {prepareNodeHeap, requestHeapSnapshot, waitForHeapSnapshots} from '../target/node-heap.js';
import {preparePythonTrace, requestSnapshot, waitForSnapshot} from '../target/python-trace.js';
import {spawnWorkload, stopSpawnedGroup, type Workload, type WorkloadExit} from '../target/spawn.js';
import {formatDuration} from '../units.js';
import {version} from '../version.js';
import {workloadEnvironment} from '../environment.js';
import {prepareResume} from './resume.js';
import {describeEnd, exitCodeFor, lostReportNote, workloadNotes} from './run-end.js';
import type {RunHooks} from './run-hooks.js';
import {checkOutputs, newRunJson, resumedRunJson} from './run-files.js';
import {heapDiffInWorker} from './heap-diff-worker.js';
import {startLiveView} from './live-view.js';
import {attachSinks, installStops} from './run-wiring.js';
import {WorkloadOutput} from './workload-output.js';

/** workload.log stops growing here, with a note: a firehose must not fill the disk memmon writes its samples to. */
const MAX_LOG_BYTES = 256 * 1024 * 1024;

/** What the process should exit with. */
export type RunResult = {readonly exitCode: number};

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

/**
--heap-snapshots: when the shown verdict first turns to warning, failure or leak, a snapshot of the
workload then, diffed against the baseline in a worker thread (seconds for a big heap), and the
top growers shown on the screen until the run ends.
*/
function watchVerdictForHeap(session: Session, heapDir: string, startedAtMs: number): void {
	const unsubscribe = session.subscribe(() => {
		const {verdict} = session.snapshot().assessment.growth;
		if (verdict !== 'warning' && verdict !== 'failure' && verdict !== 'leak') {
			return;
		}

		unsubscribe();
		requestHeapSnapshot(heapDir, 'verdict');
		session.store.mark({t: session.elapsedMs / 1000, label: `heap snapshot (${verdict})`, symbol: 'H'});
		void (async () => {
			if (await waitForHeapSnapshots(heapDir, 'verdict', 120_000)) {
				const diff = await heapDiffInWorker(path.dirname(heapDir), startedAtMs, 'verdict');
				if (diff) {
					session.heapLine = heapLine(diff);
					session.publish();
				}
			}
		})();
	});
}

/**
The end of a spawned workload that is still running: its last tracemalloc and heap snapshots
first, then SIGTERM to its group (SIGKILL after the grace). Resolves with how it exited.
*/
async function stopWorkload(session: Session, workload: Workload, options: {readonly traceDir: string | undefined; readonly heapDir: string | undefined; readonly killGraceMs: number}): Promise<WorkloadExit> {
	if (workload.hasExited()) {
		return workload.exited;
	}

	const say = (text: string): void => {
		session.notice = text;
		session.publish();
	};

	if (options.traceDir) {
		say('tracemalloc: the last snapshot…');
		requestSnapshot(options.traceDir, 'end');
		await waitForSnapshot(options.traceDir, 'end', 10_000);
	}

	if (options.heapDir) {
		say('the last heap snapshot…');
		requestHeapSnapshot(options.heapDir, 'end');
		await waitForHeapSnapshots(options.heapDir, 'end', 60_000);
	}

	say('stopping the workload…');
	return workload.stop(options.killGraceMs);
}

/** Run memmon on a target until it ends; resolves with the exit code. */
export async function run(options: RunOptions, clock: Clock = systemClock(), hooks: RunHooks = {session: []}): Promise<RunResult> {
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

	// Outputs that cannot be written are errors now, not after the whole run.
	const stepSummary = checkOutputs(options.junit, workloadEnvironment.GITHUB_STEP_SUMMARY || undefined);

	// 2. The run folder, checked before sampling starts.
	const startWall = resumed?.startedAtMs ?? clock.wallNow();
	const runDir = resumed?.runDir ?? createRunDir(options.reportDir, options.label, startWall);

	// 3. The workload, when spawning. Its output goes to workload.log (and, in plain mode, through).
	// Lines matching --mark-pattern mark the run (queued until the session exists).
	const earlyMarks: string[] = [];
	let markFromOutput = (label: string): void => {
		earlyMarks.push(label);
	};

	let operationsSeen: number | undefined;
	/** The run's facts once made: --ops-pattern's count goes into them, and so into every report. */
	let runFacts: RunFacts | undefined;
	// With --json, stdout carries only memmon's NDJSON: the workload's output goes to stderr.
	const output = new WorkloadOutput({
		markPattern: options.markPattern,
		opsPattern: options.opsPattern,
		passthrough: options.plain ? (options.json ? process.stderr : process.stdout) : undefined,
		onMark: label => {
			markFromOutput(label);
		},
		onOperations(value) {
			operationsSeen = value;
			if (runFacts && options.operations === undefined) {
				runFacts.operations = value;
			}
		},
	});
	const {tail} = output;

	let workload: Workload | undefined;
	const traceDir = options.tracemalloc ? path.join(runDir, 'tracemalloc') : undefined;
	const heapDir = options.heapSnapshots ? path.join(runDir, 'heap') : undefined;
	const baselineAtMs = options.durationMs === undefined ? 60_000 : Math.min(0.2 * options.durationMs, 300_000);
	if (options.target.kind === 'command') {
		let env: NodeJS.ProcessEnv | undefined = traceDir ? preparePythonTrace(traceDir, workloadEnvironment) : undefined;
		env = heapDir ? prepareNodeHeap(heapDir, env ?? workloadEnvironment, baselineAtMs < 10_000) : env;
		try {
			workload = await spawnWorkload(options.target.argv, {
				stdin: options.plain && !options.json ? 'inherit' : 'ignore',
				logPath: path.join(runDir, 'workload.log'),
				env,
				maxLogBytes: MAX_LOG_BYTES,
				onOutput(chunk) {
					output.add(chunk);
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
		? resumedRunJson(resumed.runJson, clock.wallNow(), resumed.gapSeconds)
		: newRunJson(facts, {startTime: identity?.startTime, reportDir: options.reportDir, metricsUrl: metricsServer?.url});
	writeAtomic(path.join(runDir, 'run.json'), runJsonText);

	// 4. The pipeline.
	const sampler = identity ? createSampler({
		target: identity,
		children: facts.children,
		pssEveryMs: options.pssEveryMs,
		// Unless --pss-every says otherwise, PSS reads take at most 0.005% of a core.
		pssCostShare: options.pssAuto ? DEFAULT_PSS_COST_SHARE : undefined,
		now: () => clock.now(),
		kind: hooks.sampler,
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

	// --tracemalloc and --heap-snapshots: the baseline snapshot once the run is under way (a fifth of
	// --duration, at most five minutes; else a minute in); the last one before memmon stops the
	// workload. In a run shorter than 50 s the workload's own snapshot a second in is the baseline: a
	// snapshot takes a second or more, and one asked for earlier would come after it, leaving the
	// diff a sliver.
	if ((traceDir ?? heapDir) && baselineAtMs >= 10_000) {
		const unsubscribe = session.subscribe(() => {
			if (session!.elapsedMs >= baselineAtMs) {
				unsubscribe();
				if (traceDir) {
					requestSnapshot(traceDir, 'baseline');
				}

				if (heapDir) {
					requestHeapSnapshot(heapDir, 'baseline');
					// On the chart: the snapshot raises the workload's RSS, and the step it leaves is memmon's doing.
					session!.store.mark({t: session!.elapsedMs / 1000, label: 'heap snapshot', symbol: 'H'});
				}
			}
		});
	}

	if (heapDir) {
		watchVerdictForHeap(session, heapDir, facts.startedAtMs);
	}

	markFromOutput = label => {
		session.mark(label);
	};
	// A resumed run keeps its recorded interval; --print-every still wins when given.
	const printEveryMs = resumed && options.printEveryMs === options.intervalMs ? facts.intervalMs : options.printEveryMs;
	const {plain, json} = attachSinks(session, {plain: options.plain, json: options.json, printEveryMs, intervalMs: facts.intervalMs, startedAtMs: facts.startedAtMs, runDir});
	// 5. Ways to stop.
	const stops = installStops(session);
	const {stopBy} = stops;
	for (const hook of hooks.session) {
		hook(session);
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
		({unmount, waitUntilExit} = await startLiveView(session, stopBy));
	}

	const reason = await session.run();

	// 7. The end, on every path: stop the workload, close the log, write the reports, restore the terminal.
	const exit = workload ? await stopWorkload(session, workload, {traceDir, heapDir, killGraceMs: options.killGraceMs}) : undefined;

	// A resumed run of a workload memmon spawned ends as the first run would have: the workload goes too.
	const resumedWorkload = resumed !== undefined && Array.isArray(resumed.runJson.command) && resumed.identity !== undefined;
	if (resumedWorkload && reason.kind !== 'target-exited') {
		session.notice = 'stopping the workload…';
		session.publish();
		await stopSpawnedGroup(resumed.identity!, options.killGraceMs);
	}

	// When memmon stopped the workload, the exit code is memmon's, not the killed workload's.
	let ended = describeEnd(reason, exit, spawned || (resumedWorkload && reason.kind !== 'target-exited'));
	const internalError = stops.internalError();
	if (internalError) {
		ended = {...ended, text: `${ended.text}: ${internalError}`};
	}

	if (workload) {
		output.flush();

		for (const note of workloadNotes(workload, output.droppedPassthrough)) {
			process.stderr.write(`memmon: ${note}\n`);
		}
	}

	const {report, writeError} = session.finish(ended, {junit: options.junit, stepSummary});
	stops.remove();

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
		process.stderr.write(`memmon: ${lostReportNote(writeError, session.sampleLog, runDir)}\n`);
	}

	return {exitCode: writeError ? 1 : exitCodeFor(ended, report.assessment.thresholds)};
}
