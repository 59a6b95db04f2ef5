/**
memmon as users install it: `npm pack`, a global install of the tarball into a temporary prefix,
and the installed command run by its shebang (also through BusyBox's env, as on Alpine).
*/
import {execFileSync, spawnSync} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {afterAll, beforeAll, expect, test} from 'vitest';
import {cliEnv, onlyRunDir, root, temporaryDir} from '../helpers/cli.js';

const dir = temporaryDir('memmon-package-');
const prefix = path.join(dir, 'prefix');
const bin = path.join(prefix, 'bin', 'memmon');
let files: string[] = [];

beforeAll(() => {
	// dist/ is built by `npm test` before the tests run; packing must not rebuild it.
	const packed = JSON.parse(execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], {cwd: root, encoding: 'utf8'})) as Array<{filename: string; files: Array<{path: string}>}>;
	files = packed[0]!.files.map(file => file.path);
	execFileSync('npm', ['install', '--global', '--prefix', prefix, '--prefer-offline', '--no-audit', '--no-fund', '--loglevel', 'error', path.join(dir, packed[0]!.filename)], {stdio: 'ignore'});
}, 180_000);

afterAll(() => {
	fs.rmSync(dir, {recursive: true, force: true});
});

/** The installed command, run as a shell would: by its shebang, with the test's Node first on PATH. */
function memmon(args: string[], options: {via?: string[]} = {}) {
	const env = cliEnv({PATH: `${path.dirname(process.execPath)}:${process.env.PATH ?? ''}`});
	const [command, ...rest] = [...(options.via ?? []), bin, ...args];
	return spawnSync(command!, rest, {env, encoding: 'utf8', timeout: 30_000});
}

test('the tarball holds what a user needs and nothing of the development', () => {
	expect(files).toContain('dist/cli.js');
	expect(files).toContain('package.json');
	expect(files).toContain('README.md');
	expect(files).toContain('examples/demo-workload.js');
	const development = files.filter(file => /^(test|bench|source|\.ci)\/|\.tsbuildinfo$|^tsconfig|^vitest|^eslint/.test(file));
	expect(development).toEqual([]);
});

test('the installed memmon answers --version and --help with a plain node shebang', () => {
	const target = fs.realpathSync(bin);
	expect(fs.readFileSync(target, 'utf8').split('\n', 1)[0]).toBe('#!/usr/bin/env node');
	const version = memmon(['--version']);
	expect(version.stderr).toBe('');
	expect(version.stdout.trim()).toBe((JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {version: string}).version);
	const help = memmon(['--help']);
	expect(help.status).toBe(0);
	expect(help.stdout).toContain('memmon [options] --pid PID');
});

test('a 3-second run of the installed memmon leaves a whole run folder', () => {
	const reports = path.join(dir, 'reports');
	const run = memmon(['--plain', '--duration', '3s', '--interval', '500ms', '--report-dir', reports, '--', 'sleep', '10']);
	expect(run.stderr).toContain('duration reached');
	expect(run.status).toBe(0);
	const runDir = onlyRunDir(reports);
	for (const file of ['run.json', 'samples.csv', 'report.txt', 'report.json', 'report.md', 'report.html']) {
		expect(fs.existsSync(path.join(runDir, file)), file).toBe(true);
	}

	const samples = fs.readFileSync(path.join(runDir, 'samples.csv'), 'utf8').trim().split('\n');
	expect(samples.length).toBeGreaterThanOrEqual(5);
});

test('the shebang works through BusyBox env, as the kernel runs it on Alpine', () => {
	// The kernel runs `INTERPRETER ARG FILE …` from the shebang line: with BusyBox's env that is
	// `busybox env node FILE …`. (`env -S node --flag` is refused by BusyBox.)
	const busybox = ['/usr/bin/busybox', '/bin/busybox'].find(file => fs.existsSync(file));
	if (!busybox) {
		expect(process.env.MEMMON_CI, 'BusyBox is installed in CI (.ci/run)').toBeUndefined();
		return;
	}

	const shebang = fs.readFileSync(fs.realpathSync(bin), 'utf8').split('\n', 1)[0]!.slice(2).split(' ');
	expect(shebang).toEqual(['/usr/bin/env', 'node']);
	const run = memmon(['--version'], {via: [busybox, 'env', ...shebang.slice(1)]});
	expect(run.stderr).toBe('');
	expect(run.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
});
