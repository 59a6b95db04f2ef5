/**
`--heap-snapshots`: heap snapshots of a spawned Node (Deno, Bun) workload, to diff by constructor;
`--js-heap`: its heap after each full garbage collection (record/js-heap.ts).

memmon writes a small preload (`memmon-heap.cjs`) into the run folder's heap/ and adds
`--require <it>` to the workload's NODE_OPTIONS (a Node option, not a V8 flag: every Node line has
it, and Deno reads it) and `--preload <it>` to BUN_OPTIONS (Bun writes V8-format snapshots too).
Every Node process of the workload then registers itself (`PID.pid`) and writes
`v8.writeHeapSnapshot()`s as `PID-NAME.heapsnapshot`: one a second in (`start`, only for a short
run's baseline: every snapshot leaves the process's RSS higher for a while), one for each
`request-NAME` file memmon leaves in the folder (polled four times a second), and one at exit. A
snapshot pauses its process while it is written (18 s for a 124 MiB heap of 3 million objects)
and its file is about twice the heap. memmon never signals a process for one.
*/
import fs from 'node:fs';
import path from 'node:path';
import {makeDirectory} from '../files.js';

const PRELOAD = String.raw`'use strict';
// memmon --heap-snapshots, --js-heap: heap snapshots of this process on request, and its heap
// after each full garbage collection (see memmon's README).
(() => {
	const fs = require('node:fs');
	const path = require('node:path');
	const v8 = require('node:v8');
	// A worker thread runs this too, with a heap of its own (an isolate): its readings go to a file
	// of their own, and heap snapshots are the main thread's.
	let thread = 0;
	try {
		thread = require('node:worker_threads').threadId || 0;
	} catch {}

	const gcDir = process.env.MEMMON_JS_HEAP_DIR;
	if (gcDir) {
		// The process's files are named by its PID, or PID.2, PID.3… when a process that ran earlier
		// in the run had that PID (PIDs are reused: a pool forking for a day goes round 32,768 of
		// them): each process's files are its own, and one that ended is never written again. The
		// main thread claims the name as it starts; its worker threads get it from it. Each file
		// begins with when its thread started: a heap counts from then, not from its first reading.
		const started = Date.now() + ',start\n';
		let key = String(process.pid);
		try {
			const threads = require('node:worker_threads');
			if (thread) {
				key = threads.getEnvironmentData('memmon-js-heap') || key;
			} else {
				for (let n = 2; ; n++) {
					try {
						const fd = fs.openSync(path.join(gcDir, key + '.gc.csv'), 'wx');
						fs.writeSync(fd, started);
						fs.closeSync(fd);
						break;
					} catch (error) {
						if (error.code !== 'EEXIST' || n > 1000) {
							break;
						}

						key = process.pid + '.' + n;
					}
				}

				threads.setEnvironmentData('memmon-js-heap', key);
			}
		} catch {}

		const fileOf = id => path.join(gcDir, key + (id ? '-' + id : '') + '.gc.csv');
		const file = fileOf(thread);
		const write = line => {
			try {
				fs.appendFileSync(file, line + '\n');
			} catch {}
		};

		if (thread) {
			write(started.trim());
		}

		// A worker that is terminated (a pool recycling them) runs no exit handler: the thread that
		// made it notes its end (Node's worker_threads channel), or its last reading would count on.
		try {
			require('node:diagnostics_channel').subscribe('worker_threads', ({worker}) => {
				const id = worker.threadId;
				worker.on('exit', () => {
					try {
						fs.appendFileSync(fileOf(id), Date.now() + ',exit\n');
					} catch {}
				});
			});
		} catch {}

		// What the spaces hold, summed: live is every space but the young generation's.
		const sums = spaces => {
			let live = 0;
			let size = 0;
			for (const space of spaces) {
				size += space.space_size;
				if (!space.space_name.startsWith('new_')) {
					live += space.space_used_size;
				}
			}

			return {live, size};
		};

		try {
			// Read when Node reports the collection, a moment after it: what the program promoted
			// meanwhile is in the reading too, so the reader takes the lowest of a stretch.
			// (v8.GCProfiler reads inside the collection, but it keeps every collection's record
			// until stopped, and one stopped and started each second grew RSS 2.5 MB a second.)
			let last = 0;
			const {PerformanceObserver, constants} = require('node:perf_hooks');
			new PerformanceObserver(list => {
				for (const entry of list.getEntries()) {
					const kind = entry.detail ? entry.detail.kind : entry.kind;
					const now = Date.now();
					if (kind !== constants.NODE_PERFORMANCE_GC_MAJOR || now - last < 1000) {
						continue;
					}

					last = now;
					const {live, size} = sums(v8.getHeapSpaceStatistics());
					write(now + ',' + live + ',' + size + ',' + process.memoryUsage().external);
				}
			}).observe({entryTypes: ['gc']});
			process.on('exit', () => write(Date.now() + ',exit'));
		} catch {}
	}

	const dir = process.env.MEMMON_HEAP_DIR;
	if (!dir || thread) {
		return;
	}

	try {
		fs.writeFileSync(path.join(dir, process.pid + '.pid'), String(Date.now()));
	} catch {
		return;
	}


	const taken = new Set();
	const snap = name => {
		if (taken.has(name)) {
			return;
		}

		taken.add(name);
		const file = path.join(dir, process.pid + '-' + name + '.heapsnapshot');
		try {
			v8.writeHeapSnapshot(file + '.tmp');
			fs.renameSync(file + '.tmp', file);
		} catch {}
	};

	if (process.env.MEMMON_HEAP_START === '1') {
		setTimeout(() => snap('start'), 1000).unref();
	}

	setInterval(() => {
		let entries = [];
		try {
			entries = fs.readdirSync(dir);
		} catch {}

		for (const entry of entries) {
			if (entry.startsWith('request-')) {
				snap(entry.slice('request-'.length));
			}
		}
	}, 250).unref();
	process.on('exit', () => snap('exit'));
})();
`;

/** NODE_OPTIONS quotes a value with spaces in double quotes, with backslash escapes. */
function quoted(value: string): string {
	return /[\s"\\]/.test(value) ? `"${value.replaceAll(/["\\]/g, '\\$&')}"` : value;
}

/** BUN_OPTIONS takes a backslash before each space, quote or backslash (it reads quotes as part of the value). */
function escaped(value: string): string {
	return value.replaceAll(/[\s"'\\]/g, '\\$&');
}

function appended(options: string | undefined, option: string): string {
	return options ? `${options} ${option}` : option;
}

/**
Write the preload (made if needed: into `heapDir`, else `jsHeapDir`); the environment a Node
workload needs for it. `heapDir`: heap snapshots on request (`--heap-snapshots`), with `start`
also one a second in, the baseline of a short run. `jsHeapDir`: the heap after each full
collection (`--js-heap`, record/js-heap.ts).
*/
export function prepareNodeHeap(environment: Readonly<NodeJS.ProcessEnv>, {heapDir, jsHeapDir, start}: {readonly heapDir: string | undefined; readonly jsHeapDir: string | undefined; readonly start: boolean}): NodeJS.ProcessEnv {
	const dirs = [heapDir, jsHeapDir].filter(dir => dir !== undefined);
	for (const dir of dirs) {
		makeDirectory(dir);
	}

	const preload = path.join(dirs[0]!, 'memmon-heap.cjs');
	fs.writeFileSync(preload, PRELOAD);
	return {
		...environment,
		NODE_OPTIONS: appended(environment.NODE_OPTIONS, `--require ${quoted(preload)}`),
		BUN_OPTIONS: appended(environment.BUN_OPTIONS, `--preload ${escaped(preload)}`),
		...heapDir ? {MEMMON_HEAP_DIR: heapDir, MEMMON_HEAP_START: start ? '1' : '0'} : {},
		...jsHeapDir ? {MEMMON_JS_HEAP_DIR: jsHeapDir} : {},
	};
}

/** Ask every Node process of the workload for a snapshot named `name` (letters and digits). */
export function requestHeapSnapshot(dir: string, name: string): void {
	try {
		fs.writeFileSync(path.join(dir, `request-${name}`), '');
	} catch {}
}

function alive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
}

/** Wait up to `timeoutMs` until every registered process that still runs has written snapshot `name`; true when they all did. */
export async function waitForHeapSnapshots(dir: string, name: string, timeoutMs: number): Promise<boolean> {
	const until = Date.now() + timeoutMs;
	for (;;) {
		let entries: string[] = [];
		try {
			entries = fs.readdirSync(dir);
		} catch {}

		const pending = entries.filter(entry => /^\d+\.pid$/.test(entry)).map(entry => Number.parseInt(entry, 10))
			.filter(pid => !entries.includes(`${pid}-${name}.heapsnapshot`) && alive(pid));
		if (pending.length === 0) {
			return true;
		}

		if (Date.now() >= until) {
			return false;
		}

		await new Promise(resolve => setTimeout(resolve, 100));
	}
}
