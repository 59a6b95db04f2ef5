/**
A run's snapshots of its workload (`--tracemalloc`, `--heap-snapshots`): the baseline once the run
is under way, a heap snapshot when the verdict turns, and the last ones before memmon stops the
workload.
*/
import path from 'node:path';
import {UsageError} from '../errors.js';
import type {MetricsServer} from '../metrics.js';
import {heapLine} from '../record/heap-diff.js';
import {jsHeapLine, JsHeapLog, type JsHeap} from '../record/js-heap.js';
import {jvmHeapLine, JvmHeapLog} from '../record/jvm-heap.js';
import {discardRunDir} from '../record/run-dir.js';
import {heapReservationRss, perfDataPath, readJvmHeap} from '../sampler/jvm-perf.js';
import type {Session} from '../session.js';
import {readIdentity} from '../target/identity.js';
import {requestHeapSnapshot, waitForHeapSnapshots} from '../target/node-heap.js';
import {InspectorAgent} from '../target/inspector-agent.js';
import {InspectorError, openInspector, type InspectorPort} from '../target/node-inspector.js';
import {requestSnapshot, waitForSnapshot} from '../target/python-trace.js';
import type {Workload, WorkloadExit} from '../target/spawn.js';
import {heapDiffInWorker} from './heap-diff-worker.js';

/** Where a run's snapshots go (undefined: not asked for). */
export type SnapshotDirs = {readonly traceDir: string | undefined; readonly heapDir: string | undefined; readonly jsHeapDir?: string | undefined};

/**
When the baseline snapshots are taken: a fifth of --duration, at most five minutes; else a minute in.
Under 10 s (a run shorter than 50 s) the workload takes its own a second in: a snapshot takes a
second or more, and one asked for later would leave the diff a sliver.
*/
export function baselineAtMs(durationMs: number | undefined): number {
	return durationMs === undefined ? 60_000 : Math.min(0.2 * durationMs, 300_000);
}

/**
Ask for the baseline snapshots once the run is `atMs` in, and for a heap snapshot when the verdict
turns or the user presses `h` (the baseline then, when it has not been taken yet).
*/
export function scheduleSnapshots(session: Session, dirs: SnapshotDirs, atMs: number, startedAtMs: number): void {
	const {traceDir, heapDir} = dirs;
	// Under 10 s the workload (or the inspector agent) takes its baseline itself, at the start.
	let baselineTaken = atMs < 10_000;
	const takeBaseline = (): void => {
		baselineTaken = true;
		if (traceDir) {
			requestSnapshot(traceDir, 'baseline');
		}

		if (heapDir) {
			requestHeapSnapshot(heapDir, 'baseline');
			// On the chart: the snapshot raises the workload's RSS, and the step it leaves is memmon's doing.
			session.store.mark({t: session.elapsedMs / 1000, label: 'heap snapshot', symbol: 'H'});
		}
	};

	if ((traceDir ?? heapDir) && !baselineTaken) {
		const unsubscribe = session.subscribe(() => {
			if (baselineTaken) {
				unsubscribe();
			} else if (session.elapsedMs >= atMs) {
				unsubscribe();
				takeBaseline();
			}
		});
	}

	if (dirs.jsHeapDir) {
		watchJsHeap(session, dirs.jsHeapDir, startedAtMs);
	}

	if (heapDir) {
		watchVerdictForHeap(session, heapDir, startedAtMs);
		let keys = 0;
		session.heapSnapshot = () => {
			if (baselineTaken) {
				keys++;
				snapshotAndShow(session, heapDir, startedAtMs, `key${keys}`, `heap snapshot ${keys}`);
			} else {
				takeBaseline();
				session.notice = 'heap snapshot: the baseline (h again later: what grew since)';
				session.publish();
			}
		};
	}
}

/** A heap snapshot now, marked on the chart; once written, what grew since the baseline on the screen. */
function snapshotAndShow(session: Session, heapDir: string, startedAtMs: number, name: string, label: string): void {
	requestHeapSnapshot(heapDir, name);
	session.store.mark({t: session.elapsedMs / 1000, label, symbol: 'H'});
	session.notice = `${label}…`;
	session.publish();
	void (async () => {
		if (await waitForHeapSnapshots(heapDir, name, 120_000)) {
			const diff = await heapDiffInWorker(path.dirname(heapDir), startedAtMs, name);
			if (diff) {
				session.heapLine = heapLine(diff);
				session.notice = `${label}: written`;
				session.publish();
			}
		}
	})();
}

/** How often the live view reads the `--js-heap` files, in run time. */
const JS_HEAP_EVERY_MS = 5000;

/**
--js-heap: the workload's heap after its full collections, read every few seconds, on the screen's
heap line — until a heap snapshot's diff takes the line (it says more). Before the first full
collection the line says that it waits for one: V8 runs one when its old generation fills, which
takes a small or idle program minutes.
*/
function watchJsHeap(session: Session, dir: string, startedAtMs: number): void {
	const log = new JsHeapLog(dir, startedAtMs);
	let readAtMs = Number.NEGATIVE_INFINITY;
	let summary: JsHeap | undefined;
	let shown: string | undefined = session.heapLine ?? 'JS heap   no full garbage collection yet (V8 runs one when its old generation fills)';
	session.heapLine = shown;
	session.subscribe(() => {
		if (session.elapsedMs - readAtMs < JS_HEAP_EVERY_MS) {
			return;
		}

		readAtMs = session.elapsedMs;
		// A Node process killed meanwhile (no exit handler ran) holds no heap any more.
		log.noteGone(pid => {
			const identity = readIdentity(pid);
			// Denied: there is a process (its start unread, the same each time).
			return identity === 'not-found' ? undefined : identity === 'denied' ? 0 : identity.startTime;
		}, Date.now());
		if (log.poll()) {
			summary = log.summary();
		}

		// (Redrawn with each read: the last full collection's age moves on between them.)
		if (summary && session.heapLine === shown) {
			shown = jsHeapLine(summary, session.elapsedMs / 1000);
			session.heapLine = shown;
		}
	});
}

/** How many of the tree's processes, largest first, are looked at for a JVM. */
const JVM_CANDIDATES = 4;

/**
The heap's RSS comes from smaps, which the kernel makes by walking the pages: 6 ms for a JVM of
300 MiB on a test machine, 50 times the counters' read. It is read at most a 2000th of the time
(0.05% of a core), and every 30 s to 5 min.
*/
const HEAP_RSS_SHARE = 2000;
const HEAP_RSS_EVERY_MS = [30_000, 300_000] as const;

/**
A process found without counters is looked at again at each read for its first minute in the run
(a JVM maps its file as it starts, after memmon may have first seen it), then every 30 s.
*/
const NEW_PROCESS_MS = 60_000;
const NOT_A_JVM_FOR_MS = 30_000;

/**
A JVM in the tree (its largest one; any run, no flag): its heap from the counters it publishes,
read every few seconds into the run folder's jvm-heap.csv and onto the screen's heap line — unless
a Node heap's line has it. Each process's mappings are read once, to find its counters file or
that it has none (again while it is new, and after a while: a JVM only just started may not have mapped it yet).
*/
export function watchJvmHeap(session: Session, runDir: string): void {
	const log = new JvmHeapLog(runDir);
	const files = new Map<string, {readonly file: string | undefined; readonly atMs: number; readonly firstMs: number}>();
	let readAtMs = Number.NEGATIVE_INFINITY;
	let heapRssDueMs = 0;
	let shown: string | undefined;
	const summary = log.summary();
	session.store.heap = summary ? log.points : undefined;
	if (summary && session.heapLine === undefined) {
		shown = jvmHeapLine(summary);
		session.heapLine = shown;
	}

	session.subscribe(() => {
		if (session.elapsedMs - readAtMs < JS_HEAP_EVERY_MS) {
			return;
		}

		readAtMs = session.elapsedMs;
		for (const process of session.processes.slice(0, JVM_CANDIDATES)) {
			// By PID and name: a PID reused by another program, or a launcher that exec'd java, is looked at afresh.
			const key = `${process.pid} ${process.name}`;
			let found = files.get(key);
			if (!found || (found.file === undefined && (session.elapsedMs - found.firstMs < NEW_PROCESS_MS || session.elapsedMs - found.atMs >= NOT_A_JVM_FOR_MS))) {
				found = {file: perfDataPath(process.pid), atMs: session.elapsedMs, firstMs: found?.firstMs ?? session.elapsedMs};
				files.set(key, found);
			}

			const {file} = found;
			const reading = file === undefined ? undefined : readJvmHeap(file);
			// Before its first collection nothing has survived one: no reading yet.
			if (reading && reading.youngGcs + reading.oldGcs === 0) {
				return;
			}

			if (reading) {
				let heapRss: number | undefined;
				if (session.elapsedMs >= heapRssDueMs) {
					const started = performance.now();
					heapRss = heapReservationRss(process.pid, reading.max, reading.committed);
					const costMs = performance.now() - started;
					heapRssDueMs = session.elapsedMs + Math.min(HEAP_RSS_EVERY_MS[1], Math.max(HEAP_RSS_EVERY_MS[0], costMs * HEAP_RSS_SHARE));
				}

				log.add({...reading, t: session.elapsedMs / 1000, pid: process.pid, heapRss});
				session.store.heap = log.points;
				const latest = log.summary();
				if (latest && (session.heapLine === undefined || session.heapLine === shown)) {
					shown = jvmHeapLine(latest);
					session.heapLine = shown;
				}

				return;
			}
		}
	});
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
		snapshotAndShow(session, heapDir, startedAtMs, 'verdict', `heap snapshot (${verdict})`);
	});
}

/**
The end of a spawned workload that is still running: its last tracemalloc and heap snapshots
first, then SIGTERM to its group (SIGKILL after the grace). Resolves with how it exited.
*/
export async function stopWorkload(session: Session, workload: Workload, dirs: SnapshotDirs, killGraceMs: number): Promise<WorkloadExit> {
	if (workload.hasExited()) {
		return workload.exited;
	}

	const say = (text: string): void => {
		session.notice = text;
		session.publish();
	};

	if (dirs.traceDir) {
		say('tracemalloc: the last snapshot…');
		requestSnapshot(dirs.traceDir, 'end');
		// Ten seconds to take the request; once taken, as long as a heap snapshot may take to write.
		await waitForSnapshot(dirs.traceDir, 'end', 10_000, 60_000, () => !workload.hasExited());
	}

	if (dirs.heapDir) {
		say('the last heap snapshot…');
		requestHeapSnapshot(dirs.heapDir, 'end');
		await waitForHeapSnapshots(dirs.heapDir, 'end', 60_000);
	}

	say('stopping the workload…');
	return workload.stop(killGraceMs);
}

/** An attached Node process's heap snapshots: the agent that takes them, and where its inspector is. */
export type AttachedHeap = {readonly agent: InspectorAgent; readonly pid: number; readonly inspector: InspectorPort};

/**
--open-inspector: open the attached process's inspector now, before sampling starts; when it
cannot be, the run folder goes and memmon says why (exit 2).
*/
export async function inspectorOf(pid: number, runDir: string, metricsServer: MetricsServer | undefined): Promise<InspectorPort> {
	try {
		return await openInspector(pid);
	} catch (error) {
		discardRunDir(runDir);
		await metricsServer?.close();
		if (error instanceof InspectorError) {
			throw new UsageError(`cannot take heap snapshots of PID ${pid}: ${error.message}`);
		}

		throw error;
	}
}

/** The agent taking an attached process's snapshots on the run's requests; in a short run, the baseline at once. */
export function attachedHeapAgent(session: Session, heapDir: string, pid: number, inspector: InspectorPort, atMs: number): AttachedHeap {
	const agent = new InspectorAgent(heapDir, pid, inspector.port);
	if (atMs < 10_000) {
		void agent.take('start');
		session.store.mark({t: session.elapsedMs / 1000, label: 'heap snapshot', symbol: 'H'});
	}

	session.notice = `heap snapshots through the inspector of PID ${pid} (127.0.0.1:${inspector.port})`;
	return {agent, pid, inspector};
}

/** The end of a run with an attached process's snapshots: the last one, then no more. */
export async function endAttachedHeap(session: Session, heapDir: string, agent: InspectorAgent): Promise<void> {
	session.notice = 'the last heap snapshot…';
	session.publish();
	requestHeapSnapshot(heapDir, 'end');
	await waitForHeapSnapshots(heapDir, 'end', 60_000);
	await agent.stop();
}

/** What to tell the user at the end: a snapshot that failed, and the inspector left open. */
export function attachedHeapNotes(attached: AttachedHeap): string[] {
	const notes = attached.agent.problem ? [attached.agent.problem] : [];
	if (attached.inspector.opened) {
		notes.push(`the inspector of PID ${attached.pid} stays open on 127.0.0.1:${attached.inspector.port} (closing it from outside can crash Node): restart the process to close it`);
	}

	return notes;
}
