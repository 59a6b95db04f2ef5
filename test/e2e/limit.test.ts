/**
A process under a cgroup memory limit, as in a container or a CI job with one: memmon finds the
limit (the host's /proc/meminfo does not show it) and says it in the reports and run.json.
The test makes a cgroup of its own (as root, as CI runs): v1's memory controller where it is
mounted (this machine), else v2's.
*/
import {spawn} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {afterAll, expect, test} from 'vitest';
import {alive, onlyRunDir, runCli, temporaryDir, waitFor} from '../helpers/cli.js';

const MIB = 1024 * 1024;
const v1 = fs.existsSync('/sys/fs/cgroup/memory/cgroup.procs');
const group = path.join(v1 ? '/sys/fs/cgroup/memory' : '/sys/fs/cgroup', `memmon-test-${process.pid}`);
const limitFile = path.join(group, v1 ? 'memory.limit_in_bytes' : 'memory.max');
afterAll(async () => {
	// A cgroup goes once its processes have: the child is killed in the test.
	await waitFor(() => {
		try {
			fs.rmdirSync(group);
			return true;
		} catch {
			return !fs.existsSync(group);
		}
	}, 10_000, `${group} removed`);
});

test('a process under a cgroup memory limit: the limit, the file that set it and the peak\'s share of it in the reports', async () => {
	if (!v1) {
		// v2 gives a cgroup memory.max only where its parent hands the memory controller down.
		fs.writeFileSync('/sys/fs/cgroup/cgroup.subtree_control', '+memory');
	}

	fs.mkdirSync(group);
	fs.writeFileSync(limitFile, String(300 * MIB));
	// The child puts itself in the cgroup, then becomes a Node process holding 40 MiB.
	const child = spawn('sh', ['-c', `echo $$ > ${group}/cgroup.procs && exec "$0" -e "globalThis.kept = Buffer.alloc(40 * 1024 * 1024, 1); setInterval(() => {}, 1000)"`, process.execPath], {stdio: 'ignore'});
	try {
		await waitFor(() => fs.readFileSync(`/proc/${child.pid}/cmdline`, 'utf8').includes('globalThis.kept') && fs.readFileSync(`/proc/${child.pid}/cgroup`, 'utf8').includes(`/memmon-test-${process.pid}`), 10_000, 'the child in its cgroup');
		const dir = temporaryDir();
		const result = await runCli(['--plain', '--pid', String(child.pid), '--duration', '2s', '--report-dir', dir]);
		expect(result.code).toBe(0);
		const runDir = onlyRunDir(dir);
		const report = JSON.parse(fs.readFileSync(path.join(runDir, 'report.json'), 'utf8')) as {memory_limit: unknown; memory: {peak_sampled_bytes: number}};
		expect(report.memory_limit).toEqual({bytes: 300 * MIB, file: limitFile});
		// The peak holds the 40 MiB and Node: its share of 300 MiB, as the row says it.
		const share = Math.round(report.memory.peak_sampled_bytes / (300 * MIB) * 100);
		expect(share).toBeGreaterThan(13);
		expect(fs.readFileSync(path.join(runDir, 'report.txt'), 'utf8')).toContain(`  Memory limit               300 MiB   cgroup (${limitFile}); the peak at ${share}% of it\n`);
		expect(JSON.parse(fs.readFileSync(path.join(runDir, 'run.json'), 'utf8'))).toMatchObject({memory_limit_bytes: 300 * MIB, memory_limit_file: limitFile});
		// memmon analyze rebuilds it from run.json.
		await runCli(['analyze', runDir]);
		expect(JSON.parse(fs.readFileSync(path.join(runDir, 'report.json'), 'utf8')).memory_limit).toEqual({bytes: 300 * MIB, file: limitFile});
	} finally {
		child.kill('SIGKILL');
		await waitFor(() => !alive(child.pid!), 10_000, 'the child gone');
	}
});
