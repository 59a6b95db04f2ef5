/** A real JVM watched: its heap read from the counters it publishes, with no flag, onto the reports. */
import {spawn} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {describe, expect, test} from 'vitest';
import {readJvmHeapPoints} from '../../source/record/jvm-heap.js';
import {heapReservationRss, perfDataPath, readJvmHeap} from '../../source/sampler/jvm-perf.js';
import {cleanupAfterAll} from '../helpers/cleanups.js';
import {fixture, onlyRunDir, runCli, runs, vmRss} from '../helpers/cli.js';

const jdk = runs('javac', ['-version']);
if (process.env.MEMMON_CI === '1' && !jdk) {
	throw new Error('A JDK is required in CI: .ci/run installs default-jdk-headless');
}

const {cleanups, reportDir} = cleanupAfterAll();

type JvmJson = {jvm_heap_bytes: {collector: string; used_lowest: {first: number; last: number}; committed: {first: number; last: number}; max: number} | null};

/** memmon on `java -Xmx256m JvmHeap.java KEEP 12`: its report.json, report.md and jvm-heap.csv. */
async function jvmRun(keepMibPerSecond: number): Promise<{json: JvmJson; markdown: string; runDir: string; stderr: string}> {
	const dir = reportDir();
	const result = await runCli(['--plain', '--report-dir', dir, '--', 'java', '-Xmx256m', fixture('JvmHeap.java'), String(keepMibPerSecond), '12']);
	expect(result.code, result.stderr).toBe(0);
	const runDir = onlyRunDir(dir);
	return {json: JSON.parse(fs.readFileSync(path.join(runDir, 'report.json'), 'utf8')) as JvmJson, markdown: fs.readFileSync(path.join(runDir, 'report.md'), 'utf8'), runDir, stderr: result.stderr};
}

describe.skipIf(!jdk).concurrent('a JVM\'s heap, from its counters', () => {
	test('objects it keeps: the heap at its lowest grows with them, and the reports say so', async () => {
		// 8 MiB of byte[] kept a second for 12 s, beside 32 MiB a second of garbage.
		const {json, markdown, runDir, stderr} = await jvmRun(8);
		const heap = json.jvm_heap_bytes!;
		expect(heap, stderr).not.toBeNull();
		expect(heap.collector).toBe('GarbageFirst');
		// -Xmx256m: the most it may commit.
		expect(heap.max / 1024 / 1024).toBeCloseTo(256, 0);
		expect((heap.used_lowest.last - heap.used_lowest.first) / 1024 / 1024, stderr).toBeGreaterThan(24);
		expect(markdown).toMatch(/^\| JVM heap \(its counters\) \| {2}\| PID \d+, GarbageFirst; /m);
		// The heap's own RSS, found in its mappings, beside the first reading (then at most every 30 s: smaps costs).
		const points = readJvmHeapPoints(runDir);
		expect(points.length).toBeGreaterThanOrEqual(2);
		expect(points[0]!.heapRss).toBeDefined();
		expect(points.slice(1).every(point => point.heapRss === undefined)).toBe(true);
	});

	test('garbage only: the heap at its lowest stays where it was', async () => {
		const {json, stderr} = await jvmRun(0);
		const heap = json.jvm_heap_bytes!;
		expect(heap, stderr).not.toBeNull();
		expect(Math.abs(heap.used_lowest.last - heap.used_lowest.first) / 1024 / 1024, stderr).toBeLessThan(8);
	});

	test('a JVM memmon attaches to: its counters file found through its mappings, its heap\'s RSS within its own', async () => {
		const java = spawn('java', ['-Xmx256m', fixture('JvmHeap.java'), '0', '30'], {stdio: ['ignore', 'pipe', 'inherit']});
		cleanups.push(() => java.kill('SIGKILL'));
		await new Promise(resolve => {
			java.stdout!.once('data', resolve);
		});
		const file = perfDataPath(java.pid!);
		expect(file).toMatch(new RegExp(`^/proc/${java.pid}/root/.*/hsperfdata_[^/]+/${java.pid}$`));
		const heap = readJvmHeap(file!)!;
		expect(heap.committed).toBeGreaterThan(0);
		const heapRss = heapReservationRss(java.pid!, heap.max, heap.committed)!;
		expect(heapRss).toBeGreaterThan(0);
		expect(heapRss).toBeLessThan(vmRss(java.pid!));
		// Not a JVM: no counters.
		expect(perfDataPath(process.pid)).toBeUndefined();
	});
});
