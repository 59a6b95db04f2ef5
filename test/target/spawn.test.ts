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

test('where only the newest output matters, a backlog is passed over: the file\'s last chunk is read, after a gap', async () => {
	const file = logPath();
	// 3 MB in one write, then a last line: far more than one read's 256 KiB behind.
	const script = 'head -c 3000000 /dev/zero | tr "\\0" y; echo; echo after';
	const read = async (latestOnly: boolean) => {
		let seen = 0;
		const gaps: boolean[] = [];
		let last = '';
		const workload = await spawnWorkload(['sh', '-c', script], {stdin: 'ignore', logPath: file, maxLogBytes: 16 * 1024 * 1024, latestOnly, onOutput(chunk, afterGap) {
			seen += chunk.length;
			gaps.push(afterGap);
			// What was read since the last gap (the last line may come in a read of its own).
			last = (afterGap ? '' : last) + chunk.toString('utf8');
		}});
		await workload.exited;
		return {seen, gaps, last};
	};

	const all = await read(false);
	expect(all.seen).toBe(3_000_007);
	expect(all.gaps.every(gap => !gap)).toBe(true);
	fs.rmSync(file);
	const latest = await read(true);
	expect(latest.seen).toBeLessThanOrEqual(2 * 256 * 1024);
	expect(latest.gaps).toContain(true);
	// After the gap, the backlog's newest bytes and then the last line, nothing lost between them.
	expect(latest.last).toMatch(/^y+\nafter\n$/);
});
