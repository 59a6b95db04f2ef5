/**
Never losing data: every way a run stops leaves a complete report; partial reports while it
runs; kill -9 loses at most the sample in flight; resume; a full disk mid-run.
*/
import {execFileSync, spawnSync} from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {describe, expect, test} from 'vitest';
import {
	alive, fixture, onlyRunDir, readSamples, runCli, startCli, startFixture, temporaryDir, waitFor,
} from '../helpers/cli.js';
import {writeAtomic} from '../../source/record/run-dir.js';
import {cleanupAfterAll} from '../helpers/cleanups.js';

// Each test mostly waits on a real process: they run at once.
const {cleanups, reportDir} = cleanupAfterAll();

type Report = {partial: boolean; status: string; samples: number; end: {reason: string; by?: string; text: string} | null};
const readReport = (runDir: string): Report => JSON.parse(fs.readFileSync(path.join(runDir, 'report.json'), 'utf8')) as Report;
const runDirOf = async (dir: string, prefix: string): Promise<string> => waitFor(() => fs.existsSync(dir) && fs.readdirSync(dir).some(name => name.startsWith(prefix)) && onlyRunDir(dir), 10_000, 'run folder');
const samplesAtLeast = async (runDir: string, n: number): Promise<void> => {
	await waitFor(() => fs.existsSync(path.join(runDir, 'samples.csv')) && readSamples(runDir).length >= n, 15_000, `${n} samples`);
};

const workloadPid = (runDir: string): number => (JSON.parse(fs.readFileSync(path.join(runDir, 'run.json'), 'utf8')) as {pid: number}).pid;

describe.concurrent('partial reports', () => {
	test('every --checkpoint the reports are rewritten whole, marked partial', async () => {
		const dir = reportDir();
		const {child, result} = startCli(['--interval', '100ms', '--checkpoint', '300ms', '--report-dir', dir, '--', process.execPath, fixture('steady.js'), '5']);
		const runDir = await runDirOf(dir, 'steady-');
		const seen = new Set<number>();
		await waitFor(() => {
			if (fs.existsSync(path.join(runDir, 'report.json'))) {
				// Read while it is being rewritten: always whole JSON, never a torn file.
				const report = readReport(runDir);
				expect(report.partial).toBe(true);
				expect(fs.readFileSync(path.join(runDir, 'report.txt'), 'utf8')).toContain('(PARTIAL: run in progress)');
				seen.add(report.samples);
			}

			return seen.size >= 3;
		}, 15_000, 'three checkpoints');
		expect(fs.readlinkSync(path.join(dir, 'latest'))).toBe(path.basename(runDir));
		child.kill('SIGTERM');
		await result;
		expect(readReport(runDir).partial).toBe(false);
	});
});

describe.concurrent('every way to stop writes the final report', () => {
	test.each([['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]] as const)('%s to memmon: complete report, workload stopped, exit %i', async (signal, code) => {
		const dir = reportDir();
		const {child, result} = startCli(['--interval', '100ms', '--report-dir', dir, '--', process.execPath, fixture('steady.js'), '5']);
		const runDir = await runDirOf(dir, 'steady-');
		await samplesAtLeast(runDir, 3);
		const workload = workloadPid(runDir);
		child.kill(signal);
		const ended = await result;
		expect(ended.code).toBe(code);
		expect(readReport(runDir)).toMatchObject({partial: false, status: 'interrupted', end: {reason: 'stopped', by: signal}});
		expect(readReport(runDir).samples).toBe(readSamples(runDir).length);
		expect(alive(workload)).toBe(false);
	});

	test('SIGINT to memmon\'s whole process group (Ctrl+C in a shell): memmon stops the workload gracefully', async () => {
		const dir = reportDir();
		// A shell in its own group runs memmon, as a terminal would; the group gets SIGINT.
		const shell = startFixture('run-memmon.js', ['--interval', '100ms', '--report-dir', dir, '--', process.execPath, fixture('steady.js'), '5']);
		const runDir = await runDirOf(dir, 'steady-');
		await samplesAtLeast(runDir, 3);
		// Under load the workload may not have written its first line yet: the log is what is checked.
		await waitFor(() => fs.readFileSync(path.join(runDir, 'workload.log'), 'utf8').includes('steady: holding') ? true : undefined, 10_000, 'the workload\'s first line');
		const workload = workloadPid(runDir);
		process.kill(-shell.pid!, 'SIGINT');
		const code = await new Promise<number | null>(resolve => {
			shell.on('exit', resolve);
		});
		expect(code).toBe(130);
		expect(readReport(runDir)).toMatchObject({partial: false, end: {by: 'SIGINT'}});
		expect(fs.readFileSync(path.join(runDir, 'workload.log'), 'utf8')).toContain('steady: holding');
		expect(alive(workload)).toBe(false);
	});

	test('an uncaught error inside memmon: the report of what was recorded, exit 1', async () => {
		const dir = reportDir();
		const {result} = startCli(['--interval', '100ms', '--report-dir', dir, '--', process.execPath, fixture('steady.js'), '5'], {...process.env, FORCE_COLOR: '0', MEMMON_FAULT: 'throw-after:5', CI: ''});
		const ended = await result;
		expect(ended.code).toBe(1);
		expect(ended.stderr).toMatch(/memmon: internal error: injected fault after 5 samples/);
		expect(ended.stderr).not.toMatch(/\n\s+at /);
		const runDir = onlyRunDir(dir);
		const report = readReport(runDir);
		expect(report).toMatchObject({partial: false, end: {by: 'error'}});
		expect(report.end!.text).toContain('injected fault');
		expect(report.samples).toBeGreaterThanOrEqual(5);
		expect(alive(workloadPid(runDir))).toBe(false);
	});

	test('a target killed with -9 ends the run as "target exited (killed by SIGKILL)"', async () => {
		const dir = reportDir();
		const {result} = startCli(['--interval', '100ms', '--report-dir', dir, '--', process.execPath, fixture('steady.js'), '5']);
		const runDir = await runDirOf(dir, 'steady-');
		await samplesAtLeast(runDir, 3);
		process.kill(workloadPid(runDir), 'SIGKILL');
		expect((await result).code).toBe(137);
		expect(readReport(runDir).end).toMatchObject({reason: 'target-exited', text: 'target exited (killed by SIGKILL)'});
	});
});

describe.concurrent('kill -9 of memmon, then analyze and resume', () => {
	test('kill -9 loses at most the sample in flight; analyze rebuilds every report; resume continues the log', async () => {
		const target = startFixture('steady.js', ['30']);
		cleanups.push(() => target.kill('SIGKILL'));
		await waitFor(() => alive(target.pid!), 5000, 'target');
		const dir = reportDir();
		const {child, result} = startCli(['--pid', String(target.pid), '--interval', '100ms', '--report-dir', dir]);
		const runDir = await runDirOf(dir, 'steady-');
		await samplesAtLeast(runDir, 8);
		child.kill('SIGKILL');
		await result;
		expect(fs.existsSync(path.join(runDir, 'report.json'))).toBe(false);
		const before = readSamples(runDir);
		expect(before.length).toBeGreaterThanOrEqual(8);

		const rebuilt = await runCli(['analyze', runDir]);
		expect([0, 1]).toContain(rebuilt.code);
		expect(readReport(runDir).samples).toBe(before.length);

		const resumed = startCli(['--resume', runDir, '--plain']);
		await samplesAtLeast(runDir, before.length + 5);
		resumed.child.kill('SIGTERM');
		expect((await resumed.result).code).toBe(143);
		const after = readSamples(runDir);
		expect(after.slice(0, before.length)).toEqual(before);
		expect(after[before.length]!.mark).toMatch(/^resumed after a .+ gap$/);
		const times = after.map(row => Number(row.t_seconds));
		for (let i = 1; i < times.length; i++) {
			expect(times[i]).toBeGreaterThan(times[i - 1]!);
		}

		expect(readReport(runDir).samples).toBe(after.length);
		expect(fs.readdirSync(dir).filter(name => name !== 'latest')).toHaveLength(1);
	});

	test('a resumed run of a spawned workload ends at the first run\'s --duration and stops the workload, as the first run would have', async () => {
		const dir = reportDir();
		const {child, result} = startCli(['--plain', '--duration', '8s', '--interval', '200ms', '--report-dir', dir, '--', 'sleep', '120']);
		const runDir = await runDirOf(dir, 'sleep-');
		await samplesAtLeast(runDir, 3);
		const pid = workloadPid(runDir);
		cleanups.push(() => {
			try {
				process.kill(-pid, 'SIGKILL');
			} catch {}
		});
		child.kill('SIGKILL');
		await result;
		expect(alive(pid)).toBe(true);
		const started = Date.now();
		const resumed = await runCli(['--resume', runDir, '--plain']);
		expect(Date.now() - started).toBeLessThan(15_000);
		expect(resumed.code).toBe(0);
		expect(alive(pid)).toBe(false);
		expect(readReport(runDir).end?.text).toBe('duration reached (workload stopped)');
	});

	test('kill -9 of memmon leaves a chatty workload running (its output goes to workload.log, not through memmon); resume follows it, and stops it at the end', async () => {
		const dir = reportDir();
		const chatty = 'let n = 0; setInterval(() => console.log(`tick ${++n}`), 20)';
		const {child, result} = startCli(['--plain', '--interval', '200ms', '--label', 'chatty', '--report-dir', dir, '--', process.execPath, '-e', chatty]);
		const runDir = await runDirOf(dir, 'chatty-');
		await samplesAtLeast(runDir, 3);
		const pid = workloadPid(runDir);
		cleanups.push(() => {
			try {
				process.kill(-pid, 'SIGKILL');
			} catch {}
		});
		child.kill('SIGKILL');
		await result;
		const logged = (): number => Number(/tick (\d+)\n$/.exec(fs.readFileSync(path.join(runDir, 'workload.log'), 'utf8'))?.[1] ?? 0);
		const atKill = logged();
		// Ten more ticks take a fifth of a second; a loaded machine may take seconds.
		await waitFor(() => logged() > atKill + 10, 15_000, 'the workload to log ten more lines after memmon died');
		expect(alive(pid)).toBe(true);
		const before = readSamples(runDir).length;
		const resumed = startCli(['--resume', runDir, '--plain']);
		await samplesAtLeast(runDir, before + 5);
		resumed.child.kill('SIGTERM');
		expect((await resumed.result).code).toBe(143);
		expect(alive(pid)).toBe(false);
	});

	test('resume of a run whose target is gone: exit 2, the recorded data untouched', async () => {
		const target = startFixture('steady.js', ['30']);
		await waitFor(() => alive(target.pid!), 5000, 'target');
		const dir = reportDir();
		const {child, result} = startCli(['--pid', String(target.pid), '--interval', '100ms', '--report-dir', dir]);
		const runDir = await runDirOf(dir, 'steady-');
		await samplesAtLeast(runDir, 3);
		child.kill('SIGKILL');
		await result;
		target.kill('SIGKILL');
		await waitFor(() => !alive(target.pid!), 5000, 'target to die');
		const digest = (): string => crypto.createHash('sha256').update(fs.readdirSync(runDir).sort().map(name => name + fs.readFileSync(path.join(runDir, name), 'utf8')).join('\0')).digest('hex');
		const before = digest();
		const refused = await runCli(['--resume', runDir]);
		expect(refused.code).toBe(2);
		expect(refused.stderr).toMatch(new RegExp(`^memmon: the target of .* \\(PID ${target.pid}\\) is no longer running.*: nothing to resume; memmon analyze .* rebuilds its reports\\n$`));
		expect(digest()).toBe(before);
	});
});

function canMountTmpfs(): boolean {
	if (process.getuid?.() !== 0) {
		return false;
	}

	const probe = temporaryDir('memmon-tmpfs-probe-');
	const ok = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', probe]).status === 0;
	if (ok) {
		spawnSync('umount', [probe]);
	}

	fs.rmSync(probe, {recursive: true, force: true});
	return ok;
}

// CI runs as root and can mount a small tmpfs (.ci/run sets MEMMON_CI=1): there it must not skip.
const tmpfs = canMountTmpfs();
if (process.env.MEMMON_CI === '1' && !tmpfs) {
	throw new Error('the full-disk test needs to mount a tmpfs (root) in CI');
}

/** A 256 KiB tmpfs, unmounted after the test. */
function smallDisk(): string {
	const mount = temporaryDir('memmon-tmpfs-');
	execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=256k', 'tmpfs', mount]);
	cleanups.push(() => {
		spawnSync('umount', ['-l', mount]);
		fs.rmSync(mount, {recursive: true, force: true});
	});
	return mount;
}

/** Fill `mount` to the last byte; returns the filler file. */
function fillDisk(mount: string): string {
	const filler = path.join(mount, 'filler');
	const fd = fs.openSync(filler, 'w');
	const block = Buffer.alloc(4096, 1);
	try {
		for (;;) {
			fs.writeSync(fd, block);
		}
	} catch {}

	fs.closeSync(fd);
	return filler;
}

/**
Appends go on until the file's last page is full; then the row count stands still (a second
without a new row) while sampling goes on. Resolves with that count.
*/
async function rowsStandStill(runDir: string): Promise<number> {
	let last = -1;
	let since = Date.now();
	return waitFor(() => {
		const rows = readSamples(runDir).length;
		if (rows !== last) {
			last = rows;
			since = Date.now();
			return undefined;
		}

		return Date.now() - since > 1000 ? rows : undefined;
	}, 30_000, 'the disk to be full');
}

describe.skipIf(!tmpfs).concurrent('a full disk mid-run', () => {
	test('sampling goes on, samples wait, and are written when there is room again; nothing is lost', async () => {
		const mount = smallDisk();
		const {child, result} = startCli(['--interval', '100ms', '--report-dir', mount, '--', process.execPath, fixture('steady.js'), '5']);
		const runDir = await runDirOf(mount, 'steady-');
		await samplesAtLeast(runDir, 3);
		const filler = fillDisk(mount);
		const rowsWhenFull = await rowsStandStill(runDir);
		fs.rmSync(filler);
		await samplesAtLeast(runDir, rowsWhenFull + 15);
		child.kill('SIGTERM');
		const ended = await result;
		expect(ended.stderr).toMatch(/memmon: cannot write samples.csv \(ENOSPC\); sampling goes on/);
		expect(ended.stderr).toContain('memmon: samples.csv is writable again');
		const rows = readSamples(runDir);
		const report = readReport(runDir);
		expect(report.partial).toBe(false);
		expect(rows).toHaveLength(report.samples);
		const times = rows.map(row => Number(row.t_seconds));
		for (let i = 1; i < times.length; i++) {
			// The samples taken while the disk was full are there: had they been lost, a gap of over
			// a second (how long the rows stood still) would show. A loaded machine once put 0.65 s
			// between two samples 100 ms apart.
			expect(times[i]! - times[i - 1]!).toBeLessThan(0.9);
		}
	});
});

describe.skipIf(!tmpfs).concurrent('a disk with a little room left', () => {
	test('a report that fits only in part leaves the one before it whole, and no temporary file', () => {
		const mount = smallDisk();
		const file = path.join(mount, 'report.html');
		const before = 'x'.repeat(20_000);
		writeAtomic(file, before);
		// Full, then two pages free: a write of 40 kB fits in part (writeSync returns 8 KiB written).
		const filler = fillDisk(mount);
		fs.truncateSync(filler, fs.statSync(filler).size - 8192);
		expect(() => {
			writeAtomic(file, 'y'.repeat(40_000));
		}).toThrow(/ENOSPC/);
		expect(fs.readFileSync(file, 'utf8')).toBe(before);
		expect(fs.readdirSync(mount).sort()).toEqual(['filler', 'report.html']);
	});
});

describe.skipIf(!tmpfs).concurrent('a disk still full at the end', () => {
	test('the message says how many samples could not be written, and no temporary file is left', async () => {
		const mount = smallDisk();
		const {child, result} = startCli(['--plain', '--interval', '100ms', '--report-dir', mount, '--', 'sleep', '60']);
		const runDir = await runDirOf(mount, 'sleep-');
		await samplesAtLeast(runDir, 3);
		fillDisk(mount);
		await rowsStandStill(runDir);
		child.kill('SIGTERM');
		const ended = await result;
		expect(ended.code).toBe(1);
		expect(ended.stderr).toMatch(/memmon: could not write the final report \(ENOSPC\); samples\.csv holds \d+ samples; the last \d+ samples could not be written: .*samples\.csv \(memmon analyze rebuilds the reports from it\)/);
		expect(fs.readdirSync(runDir).filter(name => name.endsWith('.tmp'))).toEqual([]);
	});
});

test.concurrent('the run folder deleted mid-run: memmon says so and makes it again with every sample and run.json', async () => {
	const dir = reportDir();
	const {child, result} = startCli(['--plain', '--interval', '100ms', '--duration', '4s', '--label', 'deleted', '--report-dir', dir, '--', 'sleep', '30']);
	const runDir = await runDirOf(dir, 'deleted-');
	await samplesAtLeast(runDir, 10);
	const before = readSamples(runDir);
	// Moved away first, then removed: memmon makes the folder again as soon as it sees samples.csv
	// gone, and an rm -rf in place raced it (rmdir: ENOTEMPTY, twenty retries lost on a loaded CI run).
	const gone = `${runDir}.gone`;
	fs.renameSync(runDir, gone);
	fs.rmSync(gone, {recursive: true, force: true});
	const {code, stderr} = await result;
	expect(child.exitCode).toBe(0);
	expect(code).toBe(0);
	expect(stderr).toContain(`the run folder ${runDir} was deleted: memmon made it again, with samples.csv (every sample so far) and run.json`);
	const after = readSamples(runDir);
	expect(after.slice(0, before.length)).toEqual(before);
	expect(after.length).toBeGreaterThan(30);
	// From the start: the first sample, taken within the first 100-ms interval (a loaded machine fires the first timer a few ms late).
	expect(Number(after[0]!.t_seconds)).toBeLessThan(0.1);
	expect((JSON.parse(fs.readFileSync(path.join(runDir, 'run.json'), 'utf8')) as {label: string}).label).toBe('deleted');
	expect(readReport(runDir).samples).toBe(after.length);
});
