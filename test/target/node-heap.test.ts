import {execFileSync} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {afterAll, expect, test} from 'vitest';
import {prepareNodeHeap} from '../../source/target/node-heap.js';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'memmon-node-heap-'));
afterAll(() => {
	fs.rmSync(root, {recursive: true, force: true});
});

test('--js-heap: a Node process whose PID an earlier process of the run had writes PID.2, its worker threads PID.2-THREAD, each from its start to its end', () => {
	const dir = path.join(root, 'js-heap');
	const environment = prepareNodeHeap({}, {heapDir: undefined, jsHeapDir: dir, start: false});
	const preload = path.join(dir, 'memmon-heap.cjs');
	// The process plays the earlier one's file, then loads the preload (as NODE_OPTIONS would first)
	// in itself and in a worker thread it then terminates; the thread's exit is noted by its parent.
	const script = `
		const fs = require('node:fs');
		fs.writeFileSync(${JSON.stringify(dir)} + '/' + process.pid + '.gc.csv', '1,exit\\n');
		require(${JSON.stringify(preload)});
		const {Worker} = require('node:worker_threads');
		const worker = new Worker('require(' + JSON.stringify(${JSON.stringify(preload)}) + '); require("node:worker_threads").parentPort.postMessage("loaded"); setInterval(() => {}, 1000);', {eval: true});
		const thread = worker.threadId;
		// 200 ms after the thread has loaded the preload ('online' can come before it has: on a
		// loaded machine its start line then read less than 200 ms before its end).
		worker.on('message', () => setTimeout(() => worker.terminate(), 200));
		worker.on('exit', () => setTimeout(() => console.log(process.pid + ' ' + thread), 50));
	`;
	const [pid, thread] = execFileSync(process.execPath, ['-e', script], {env: {...process.env, MEMMON_JS_HEAP_DIR: environment.MEMMON_JS_HEAP_DIR}, encoding: 'utf8'}).trim().split(' ');
	expect(fs.readdirSync(dir).filter(entry => entry.endsWith('.gc.csv')).sort()).toEqual([`${pid}.2-${thread}.gc.csv`, `${pid}.2.gc.csv`, `${pid}.gc.csv`]);
	// The earlier process's file is as it left it; the later one's, and its thread's, say when each
	// started and ended (the thread's end noted by its parent: a terminated thread runs no handler).
	expect(fs.readFileSync(path.join(dir, `${pid}.gc.csv`), 'utf8')).toBe('1,exit\n');
	const times = (entry: string): number[] => [...fs.readFileSync(path.join(dir, entry), 'utf8').matchAll(/^(\d+),(start|exit)$/gm)].map(([, ms, what]) => (what === 'start' ? 1 : -1) * Number(ms));
	const [processStart, processEnd] = times(`${pid}.2.gc.csv`);
	const [threadStart, threadEnd] = times(`${pid}.2-${thread}.gc.csv`);
	expect(processStart).toBeGreaterThan(0);
	expect(threadStart).toBeGreaterThanOrEqual(processStart!);
	expect(-threadEnd!).toBeGreaterThanOrEqual(threadStart! + 200);
	expect(-processEnd!).toBeGreaterThanOrEqual(-threadEnd!);
	expect(times(`${pid}.2.gc.csv`)).toHaveLength(2);
	expect(times(`${pid}.2-${thread}.gc.csv`)).toHaveLength(2);
});
