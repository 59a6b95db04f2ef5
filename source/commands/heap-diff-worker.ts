/**
The heap diff of snapshots taken while a run goes on (when the verdict turned), read in a worker
thread: parsing a snapshot takes seconds for a big heap, and the live screen must not stop for it.
*/
import {isMainThread, parentPort, Worker, workerData} from 'node:worker_threads';
import {readHeapDiff, type HeapDiff} from '../record/heap-diff.js';

type Task = {readonly task: 'memmon-heap-diff'; readonly runDir: string; readonly startedAtMs: number; readonly last: string};

/** The diff from the baseline to snapshot `last`, read in a worker; undefined when it could not be made. */
export async function heapDiffInWorker(runDir: string, startedAtMs: number, last: string): Promise<HeapDiff | undefined> {
	const task: Task = {task: 'memmon-heap-diff', runDir, startedAtMs, last};
	const worker = new Worker(new URL(import.meta.url), {workerData: task});
	return new Promise(resolve => {
		let diff: HeapDiff | undefined;
		worker.on('message', (value: HeapDiff | undefined) => {
			diff = value;
		});
		worker.on('error', () => {
			diff = undefined;
		});
		worker.on('exit', () => {
			resolve(diff);
		});
	});
}

if (!isMainThread && (workerData as Task | undefined)?.task === 'memmon-heap-diff') {
	const {runDir, startedAtMs, last} = workerData as Task;
	parentPort!.postMessage(readHeapDiff(runDir, startedAtMs, true, [last]));
}
