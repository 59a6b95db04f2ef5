import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {afterEach, expect, test} from 'vitest';
import {spawnWorkload} from '../../source/target/spawn.js';

const dirs: string[] = [];
afterEach(() => {
	for (const dir of dirs.splice(0)) {
		fs.rmSync(dir, {recursive: true, force: true});
	}
});

function logPath(): string {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'memmon-spawn-'));
	dirs.push(dir);
	return path.join(dir, 'workload.log');
}

test('the workload writes its log itself; memmon reads every byte of both streams, the last ones too', async () => {
	const file = logPath();
	const chunks: Buffer[] = [];
	const script = 'for i in $(seq 1 200); do echo "out $i"; echo "err $i" >&2; done; printf "last, no newline"';
	const workload = await spawnWorkload(['sh', '-c', script], {stdin: 'ignore', logPath: file, maxLogBytes: 1024 * 1024, onOutput: chunk => chunks.push(Buffer.from(chunk))});
	expect(await workload.exited).toEqual({code: 0, signal: null});
	const seen = Buffer.concat(chunks).toString('utf8');
	expect(seen).toBe(fs.readFileSync(file, 'utf8'));
	expect(seen.match(/^out \d+$/gm)).toHaveLength(200);
	expect(seen.match(/^err \d+$/gm)).toHaveLength(200);
	expect(seen.endsWith('last, no newline')).toBe(true);
	expect(workload.logProblem()).toBeUndefined();
	expect(workload.escaped()).toEqual([]);
});

test('a log past its cap is emptied with a note, so a runaway workload cannot fill the disk', async () => {
	const file = logPath();
	let seen = 0;
	// 3 MB over ~0.6 s, then a last line: at a 1 MB cap the file is emptied at least once.
	const script = 'for i in $(seq 1 30); do head -c 100000 /dev/zero | tr "\\0" x; sleep 0.02; done; echo; echo after';
	const workload = await spawnWorkload(['sh', '-c', script], {stdin: 'ignore', logPath: file, maxLogBytes: 1_000_000, onOutput(chunk) {
		seen += chunk.length;
	}});
	await workload.exited;
	const text = fs.readFileSync(file, 'utf8');
	expect(text.length).toBeLessThanOrEqual(1_000_000 + 4096);
	expect(text).toContain('[memmon: workload.log passed 1 MiB and was emptied; earlier output is gone]');
	expect(text.endsWith('after\n')).toBe(true);
	expect(workload.logProblem()).toBe('workload.log passed 1 MiB and was emptied; the output before that is gone');
	expect(seen).toBeGreaterThan(0);
});
