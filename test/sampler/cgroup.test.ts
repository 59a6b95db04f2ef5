import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {afterAll, expect, test} from 'vitest';
import {memoryLimit} from '../../source/sampler/cgroup.js';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'memmon-cgroup-'));
afterAll(() => {
	fs.rmSync(root, {recursive: true, force: true});
});

const MIB = 1024 * 1024;

/** A /proc and a /sys/fs/cgroup of their own: process 42's cgroup file, and the control files given. */
function machine(name: string, cgroupFile: string, files: Record<string, string>): {proc: string; cgroup: string} {
	const proc = path.join(root, name, 'proc');
	const cgroup = path.join(root, name, 'cgroup');
	fs.mkdirSync(path.join(proc, '42'), {recursive: true});
	fs.writeFileSync(path.join(proc, '42', 'cgroup'), cgroupFile);
	for (const [file, text] of Object.entries(files)) {
		fs.mkdirSync(path.dirname(path.join(cgroup, file)), {recursive: true});
		fs.writeFileSync(path.join(cgroup, file), text);
	}

	return {proc, cgroup};
}

test('cgroup v2: the tightest memory.max of the cgroup and the ones above it; "max" is none', () => {
	const roots = machine('v2', '0::/ci.slice/job-7/step\n', {
		'ci.slice/memory.max': `${4096 * MIB}\n`,
		'ci.slice/job-7/memory.max': `${2048 * MIB}\n`,
		'ci.slice/job-7/step/memory.max': 'max\n',
	});
	expect(memoryLimit(42, roots)).toEqual({bytes: 2048 * MIB, file: path.join(roots.cgroup, 'ci.slice/job-7/memory.max')});
});

test('cgroup v1 (the memory controller beside others, as here): memory.limit_in_bytes, where "none" is a number near 2^63', () => {
	const roots = machine('v1', '9:name=systemd:/\n4:memory:/docker/abc\n1:cpu,cpuacct:/docker/abc\n0::/\n', {
		'memory/memory.limit_in_bytes': '9223372036854771712\n',
		'memory/docker/abc/memory.limit_in_bytes': `${512 * MIB}\n`,
	});
	expect(memoryLimit(42, roots)).toEqual({bytes: 512 * MIB, file: path.join(roots.cgroup, 'memory/docker/abc/memory.limit_in_bytes')});
});

test('a container that sees its own cgroup as the root while /proc names the host\'s path: the root\'s limit', () => {
	const roots = machine('container', '0::/kubepods/burstable/pod1/c2\n', {
		'memory.max': `${768 * MIB}\n`,
	});
	expect(memoryLimit(42, roots)).toEqual({bytes: 768 * MIB, file: path.join(roots.cgroup, 'memory.max')});
});

test('no limit anywhere, no such process, no cgroup file: none', () => {
	const unlimited = machine('unlimited', '4:memory:/user/1000\n', {
		'memory/memory.limit_in_bytes': '9223372036854771712\n',
		'memory/user/1000/memory.limit_in_bytes': '9223372036854771712\n',
	});
	expect(memoryLimit(42, unlimited)).toBeUndefined();
	expect(memoryLimit(43, unlimited)).toBeUndefined();
	expect(memoryLimit(42, {proc: unlimited.proc, cgroup: path.join(root, 'nowhere')})).toBeUndefined();
});
