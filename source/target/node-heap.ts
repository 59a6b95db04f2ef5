/**
`--heap-snapshots`: heap snapshots of a spawned Node (Deno, Bun) workload, to diff by constructor.

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
// memmon --heap-snapshots: heap snapshots of this process on request (see memmon's README).
(() => {
	const dir = process.env.MEMMON_HEAP_DIR;
	if (!dir) {
		return;
	}

	const fs = require('node:fs');
	const path = require('node:path');
	const v8 = require('node:v8');
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

	try {
		fs.writeFileSync(path.join(dir, process.pid + '.pid'), String(Date.now()));
	} catch {
		return;
	}

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
Write the preload into `dir` (made if needed); the environment a Node workload needs for it.
With `start`, each process also takes a snapshot a second in: the baseline of a short run.
*/
export function prepareNodeHeap(dir: string, environment: Readonly<NodeJS.ProcessEnv>, start: boolean): NodeJS.ProcessEnv {
	makeDirectory(dir);
	const preload = path.join(dir, 'memmon-heap.cjs');
	fs.writeFileSync(preload, PRELOAD);
	return {
		...environment,
		NODE_OPTIONS: appended(environment.NODE_OPTIONS, `--require ${quoted(preload)}`),
		BUN_OPTIONS: appended(environment.BUN_OPTIONS, `--preload ${escaped(preload)}`),
		MEMMON_HEAP_DIR: dir,
		MEMMON_HEAP_START: start ? '1' : '0',
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
