/**
`memmon --pid PID` and `memmon -- COMMAND`: one monitoring run from start to final report.

  target ─► sampler ─► Monitor ─► SeriesStore ─► assess ─► snapshot ─► live view | plain lines
                          └──────► samples.csv                └──────► report.txt / report.json

This is an edge: it owns the process, the signals, the files and the terminal. Everything it
wires together is tested on its own.
*/
import os from 'node:os';
import path from 'node:path';
import {systemClock, type Clock} from '../clock.js';
import {UsageError} from '../errors.js';
import type {RunOptions} from '../options.js';
import {targetName, type RunFacts} from '../record/run-report.js';
import {renderJsonReport} from '../record/reports/json.js';
import {renderTextReport} from '../record/reports/text.js';
import type {MetricsServer} from '../metrics.js';
import type {Identity} from '../sampler/types.js';
import {createRunDir, discardRunDir, writeAtomic} from '../record/run-dir.js';
import {memoryLimit} from '../sampler/cgroup.js';
import {createSampler} from '../sampler/index.js';
import {SystemSampler} from '../sampler/system.js';
import {DEFAULT_PSS_COST_SHARE} from '../sampler/tree.js';
import {Session} from '../session.js';
import {attach} from '../target/attach.js';
import {commandLine} from '../target/identity.js';
import {prepareNodeHeap} from '../target/node-heap.js';
import {preparePythonTrace} from '../target/python-trace.js';
import {spawnWorkload, stopSpawnedGroup, type Workload} from '../target/spawn.js';
import {formatDuration} from '../units.js';
import {version} from '../version.js';
import {workloadEnvironment} from '../environment.js';
import {prepareResume} from './resume.js';
import {describeEnd, exitCodeFor, lostReportNote, workloadNotes} from './run-end.js';
import type {RunHooks} from './run-hooks.js';
import {checkOutputs, newRunJson, resumedRunJson, withWorkloadExecutable} from './run-files.js';
import {loadLiveView, type LiveView} from './live-view.js';
import {attachedHeapAgent, attachedHeapNotes, baselineAtMs, endAttachedHeap, inspectorOf, scheduleSnapshots, stopWorkload, watchJvmHeap, type AttachedHeap, type SnapshotDirs} from './run-snapshots.js';
import {attachSinks, installStops, openMetrics} from './run-wiring.js';
import {WorkloadOutput} from './workload-output.js';

/** workload.log stops growing here, with a note: a firehose must not fill the disk memmon writes its samples to. */
const MAX_LOG_BYTES = 256 * 1024 * 1024;

/** What the process should exit with. */
export type RunResult = {readonly exitCode: number};

type Resumed = ReturnType<typeof prepareResume>;

/** Spawn the workload, its output into workload.log; on failure the run folder goes and the endpoint closes. */
async function startWorkload(argv: readonly string[], options: RunOptions, runDir: string, output: WorkloadOutput, dirs: SnapshotDirs, metricsServer: MetricsServer | undefined): Promise<Workload> {
	let env: NodeJS.ProcessEnv | undefined = dirs.traceDir ? preparePythonTrace(dirs.traceDir, workloadEnvironment) : undefined;
	env = dirs.heapDir ?? dirs.jsHeapDir ? prepareNodeHeap(env ?? workloadEnvironment, {heapDir: dirs.heapDir, jsHeapDir: dirs.jsHeapDir, start: options.durationMs === undefined || baselineAtMs(options.durationMs) < 10_000}) : env;
	try {
		return await spawnWorkload(argv, {
			stdin: options.plain && !options.json ? 'inherit' : 'ignore',
			logPath: path.join(runDir, 'workload.log'),
			env,
			maxLogBytes: MAX_LOG_BYTES,
			latestOnly: output.latestOnly,
			onOutput(chunk, afterGap) {
				output.add(chunk, afterGap);
			},
		});
	} catch (error) {
		discardRunDir(runDir);
		await metricsServer?.close();
		throw error;
	}
}

/** The facts of a new run, as every report states them. */
function newFacts(options: RunOptions, identity: Identity | undefined, system: boolean, startWall: number, runDir: string, operations: number | undefined): RunFacts {
	return {
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
		operations: options.operations ?? operations,
		memoryLimit: system ? memoryLimit('self') : identity ? memoryLimit(identity.pid) : undefined,
	};
}

/** The session of a run: the sampler for its target, fed by the clock, with the run's analysis. */
function newSession(options: RunOptions, clock: Clock, hooks: RunHooks, run: {identity: Identity | undefined; facts: RunFacts; resumed: Resumed | undefined; workload: Workload | undefined; tail: WorkloadOutput['tail']; targetText: string; runJsonText: string}): Session {
	const {identity, facts} = run;
	const sampler = identity ? createSampler({
		target: identity,
		children: facts.children,
		pssEveryMs: options.pssEveryMs,
		// Unless --pss-every says otherwise, PSS reads take at most 0.005% of a core.
		pssCostShare: options.pssAuto ? DEFAULT_PSS_COST_SHARE : undefined,
		now: () => clock.now(),
		kind: hooks.sampler,
	}) : new SystemSampler({now: () => clock.now()});
	return new Session({clock, sampler, facts, targetText: run.targetText, spawned: run.workload !== undefined, tail: run.tail, checkpointMs: options.checkpointMs, analysis: options.analysis, resume: run.resumed?.session,
		startup: options.startup,
		beforeRead: run.workload?.readOutput,
		onFolderRecreated() {
			writeAtomic(path.join(facts.runDir, 'run.json'), withWorkloadExecutable(run.runJsonText, facts.workloadExecutable));
		},
		onWorkloadExecutable() {
			try {
				writeAtomic(path.join(facts.runDir, 'run.json'), withWorkloadExecutable(run.runJsonText, facts.workloadExecutable));
			} catch {}
		},
		// Without the live screen the verdict is read by plain lines, checkpoints, NDJSON and scrapes: every 10 s will do.
		verdictBaseMs: options.plain ? 10_000 : 5000,
		// The plain line has no system panel; the live screen and NDJSON show the machine's memory.
		machineMemory: !options.plain || options.json});
}

/** Run memmon on a target until it ends; resolves with the exit code. */
export async function run(options: RunOptions, clock: Clock = systemClock(), hooks: RunHooks = {session: []}): Promise<RunResult> {
	// 1. The target, checked before anything is written; the endpoint and outputs too.
	let identity = options.target.kind === 'pid' ? attach(options.target.pid) : undefined;
	const resumed = options.target.kind === 'resume' ? prepareResume(options.target.runDir, clock.wallNow()) : undefined;
	identity ??= resumed?.identity;
	let session: Session | undefined;
	const metricsServer = await openMetrics(options, resumed?.facts, () => session?.snapshot());
	const stepSummary = checkOutputs(options.junit, workloadEnvironment.GITHUB_STEP_SUMMARY || undefined);

	// 2. The run folder, checked before sampling starts.
	const startWall = resumed?.startedAtMs ?? clock.wallNow();
	const runDir = resumed?.runDir ?? createRunDir(options.reportDir, options.label, startWall);

	// 3. The workload, when spawning. Its output goes to workload.log (and, in plain mode, through).
	// Lines matching --mark-pattern mark the run (queued until the session exists); --ops-pattern's
	// count goes into the run's facts, and so into every report.
	const earlyMarks: string[] = [];
	const seen: {operations?: number; facts?: RunFacts} = {};
	// With --json, stdout carries only memmon's NDJSON: the workload's output goes to stderr.
	const output = new WorkloadOutput({
		markPattern: options.markPattern,
		opsPattern: options.opsPattern,
		passthrough: options.plain ? (options.json ? process.stderr : process.stdout) : undefined,
		onMark: label => session ? session.mark(label) : earlyMarks.push(label),
		onOperations(value) {
			seen.operations = value;
			session?.operationsCounted(value);
			if (seen.facts && options.operations === undefined) {
				seen.facts.operations = value;
			}
		},
	});
	const dirs: SnapshotDirs = {traceDir: options.tracemalloc ? path.join(runDir, 'tracemalloc') : undefined, heapDir: options.heapSnapshots ? path.join(runDir, 'heap') : undefined, jsHeapDir: options.jsHeap ? path.join(runDir, 'js-heap') : undefined};
	// The live screen's modules before the command: loaded after it, they kept the first read from it.
	const startView = options.plain ? undefined : await loadLiveView();
	const workload = options.target.kind === 'command' ? await startWorkload(options.target.argv, options, runDir, output, dirs, metricsServer) : undefined;
	const inspector = options.openInspector && options.target.kind === 'pid' ? await inspectorOf(options.target.pid, runDir, metricsServer) : undefined;
	identity = workload?.identity ?? identity;
	const system = options.target.kind === 'system' || resumed?.facts.system === true;
	if (!identity && !system) {
		throw new UsageError('nothing to watch');
	}

	const facts = resumed?.facts ?? newFacts(options, identity, system, startWall, runDir, seen.operations);
	seen.facts = facts;
	const runJsonText = resumed
		? resumedRunJson(resumed.runJson, clock.wallNow(), resumed.gapSeconds)
		: newRunJson(facts, {startTime: identity?.startTime, reportDir: options.reportDir, metricsUrl: metricsServer?.url});
	writeAtomic(path.join(runDir, 'run.json'), runJsonText);

	// 4. The pipeline.
	const targetText = options.target.kind === 'command' ? options.target.argv.join(' ') : `${targetName(facts)}${resumed ? ' (resumed)' : ''}`;
	const live = newSession(options, clock, hooks, {identity, facts, resumed, workload, tail: output.tail, targetText, runJsonText});
	session = live;
	if (metricsServer) {
		live.notice = `metrics at ${metricsServer.url}`;
	}

	for (const label of earlyMarks.splice(0)) {
		live.mark(label);
	}

	// Counts the workload printed before there was a session: the latest is what its first sample sees.
	if (seen.operations !== undefined) {
		live.operationsCounted(seen.operations);
	}

	const agent = inspector ? attachedHeapAgent(live, dirs.heapDir!, facts.pid, inspector, baselineAtMs(options.durationMs)) : undefined;
	scheduleSnapshots(live, dirs, baselineAtMs(options.durationMs), facts.startedAtMs);
	if (!system) {
		watchJvmHeap(live, runDir);
	}

	// A resumed run keeps its recorded interval; --print-every still wins when given.
	const printEveryMs = resumed && options.printEveryMs === options.intervalMs ? facts.intervalMs : options.printEveryMs;
	const sinks = attachSinks(live, {plain: options.plain, json: options.json, printEveryMs, intervalMs: facts.intervalMs, startedAtMs: facts.startedAtMs, runDir});
	// 5. Ways to stop.
	const stops = installStops(live);
	for (const hook of hooks.session) {
		hook(live);
	}

	void workload?.exited.then(() => {
		live.stop({kind: 'target-exited'});
	});

	// 6. Sampling, then the live view (loaded only when used: plain mode never loads React). Its first
	// frame, drawn before the first read, held that read back past a test's Node loading.
	if (options.plain) {
		process.stderr.write(`memmon: watching ${targetText}${system ? '' : ` (PID ${facts.pid})`} every ${formatDuration(facts.intervalMs)}; reports in ${runDir}${metricsServer ? `; metrics at ${metricsServer.url}` : ''}\n`);
	}

	const running = live.run();
	const view: LiveView | undefined = startView?.(live, stops.stopBy);
	const reason = await running;
	return endRun(live, reason, {options, workload, agent, resumed, dirs, output, stops, view, metricsServer, sinks, stepSummary, runDir});
}

/** What the end of a run needs of it. */
type Ending = {
	readonly options: RunOptions;
	readonly workload: Workload | undefined;
	readonly agent: AttachedHeap | undefined;
	readonly resumed: Resumed | undefined;
	readonly dirs: SnapshotDirs;
	readonly output: WorkloadOutput;
	readonly stops: ReturnType<typeof installStops>;
	readonly view: LiveView | undefined;
	readonly metricsServer: MetricsServer | undefined;
	readonly sinks: ReturnType<typeof attachSinks>;
	readonly stepSummary: ReturnType<typeof checkOutputs>;
	readonly runDir: string;
};

/** The end, on every path: stop the workload, close the log, write the reports, restore the terminal. */
async function endRun(session: Session, reason: Awaited<ReturnType<Session['run']>>, run: Ending): Promise<RunResult> {
	const {options, workload, resumed, output, stops, runDir} = run;
	const exit = workload ? await stopWorkload(session, workload, run.dirs, options.killGraceMs) : undefined;
	if (run.agent) {
		await endAttachedHeap(session, run.dirs.heapDir!, run.agent.agent);
	}

	// A resumed run of a workload memmon spawned ends as the first run would have: the workload goes too.
	const resumedWorkload = resumed !== undefined && Array.isArray(resumed.runJson.command) && resumed.identity !== undefined;
	if (resumedWorkload && reason.kind !== 'target-exited') {
		session.notice = 'stopping the workload…';
		session.publish();
		await stopSpawnedGroup(resumed.identity!, options.killGraceMs);
	}

	// When memmon stopped the workload, the exit code is memmon's, not the killed workload's.
	let ended = describeEnd(reason, exit, workload !== undefined || (resumedWorkload && reason.kind !== 'target-exited'));
	const internalError = stops.internalError();
	if (internalError) {
		ended = {...ended, text: `${ended.text}: ${internalError}`};
	}

	if (workload) {
		output.flush();
		for (const note of [...workloadNotes(workload, output.droppedPassthrough), output.marksProblem(), output.operationsProblem()].filter(note => note !== undefined)) {
			process.stderr.write(`memmon: ${note}\n`);
		}
	}

	const {report, writeError} = session.finish(ended, {junit: options.junit, stepSummary: run.stepSummary});
	stops.remove();
	if (run.view) {
		run.view.unmount();
		await run.view.waitUntilExit;
	}

	await run.metricsServer?.close();
	const text = renderTextReport(report);
	if (run.sinks.json) {
		run.sinks.json.summary(renderJsonReport(report), runDir);
		process.stderr.write(`memmon: ${report.end?.text ?? 'ended'}; reports in ${runDir}\n`);
	} else if (run.sinks.plain) {
		run.sinks.plain.summary(text, runDir);
	} else {
		process.stdout.write(`${text}\nReports: ${runDir}\n`);
	}

	if (internalError) {
		process.stderr.write(`memmon: internal error: ${internalError}; the report above holds what was recorded until then\n`);
	}

	if (run.agent) {
		for (const note of attachedHeapNotes(run.agent)) {
			process.stderr.write(`memmon: ${note}\n`);
		}
	}

	if (writeError) {
		process.stderr.write(`memmon: ${lostReportNote(writeError, session.sampleLog, runDir)}\n`);
	}

	return {exitCode: writeError ? 1 : exitCodeFor(ended, report.assessment.thresholds)};
}
