import {spawnSync} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {afterEach, expect, test} from 'vitest';
import {preparePythonTrace, requestSnapshot, waitForSnapshot} from '../../source/target/python-trace.js';
import {python} from '../helpers/cli.js';

const dirs: string[] = [];
afterEach(() => {
	for (const dir of dirs.splice(0)) {
		fs.rmSync(dir, {recursive: true, force: true});
	}
});

function traceDir(): string {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'memmon-trace-'));
	dirs.push(dir);
	return dir;
}

const after = async (ms: number, act: () => void): Promise<void> => new Promise(resolve => {
	setTimeout(() => {
		act();
		resolve();
	}, ms);
});

test('the end snapshot of a slow workload: taken within the pickup time, written after it, waited for', async () => {
	const dir = traceDir();
	requestSnapshot(dir, 'end');
	// The workload's watcher takes the request at 200 ms and needs a second to write the snapshot.
	const slow = Promise.all([
		after(200, () => fs.rmSync(path.join(dir, 'request-end'))),
		after(1200, () => fs.writeFileSync(path.join(dir, 'snapshot-end.json'), '{}')),
	]);
	const started = Date.now();
	expect(await waitForSnapshot(dir, 'end', 600, 5000)).toBe(true);
	expect(Date.now() - started).toBeGreaterThanOrEqual(1200);
	await slow;
});

test('a request nobody takes: given up after the pickup time, not the write time', async () => {
	const dir = traceDir();
	requestSnapshot(dir, 'end');
	const started = Date.now();
	expect(await waitForSnapshot(dir, 'end', 300, 20_000)).toBe(false);
	expect(Date.now() - started).toBeLessThan(5000);
});

test('a workload that ends while writing: no wait past its end', async () => {
	const dir = traceDir();
	requestSnapshot(dir, 'end');
	fs.rmSync(path.join(dir, 'request-end'));
	let running = true;
	void after(300, () => {
		running = false;
	});
	const started = Date.now();
	expect(await waitForSnapshot(dir, 'end', 300, 20_000, () => running)).toBe(false);
	expect(Date.now() - started).toBeLessThan(5000);
});

test('memmon\'s sitecustomize traces, and leaves the workload\'s output alone with or without a sitecustomize of the environment\'s own', () => {
	// This machine's python3 (pyenv's) has no sitecustomize of its own: memmon's printed "Error in
	// sitecustomize; … KeyError: 'sitecustomize'" into every traced workload's output.
	const dir = traceDir();
	const user = traceDir();
	fs.writeFileSync(path.join(user, 'sitecustomize.py'), 'print("the user\'s sitecustomize ran")\n');
	const probe = 'import sys, tracemalloc; print(tracemalloc.is_tracing(), "sitecustomize" in sys.modules)';
	const run = (pythonPath: string): {stdout: string; stderr: string} => {
		const environment = preparePythonTrace(dir, {PATH: process.env.PATH, PYTHONPATH: pythonPath || undefined});
		const result = spawnSync(python, ['-c', probe], {env: environment, encoding: 'utf8', timeout: 20_000});
		return {stdout: result.stdout, stderr: result.stderr};
	};

	expect(run('')).toEqual({stdout: 'True True\n', stderr: ''});
	// One on the workload's own PYTHONPATH still runs, after memmon's.
	expect(run(user)).toEqual({stdout: 'the user\'s sitecustomize ran\nTrue True\n', stderr: ''});
});
