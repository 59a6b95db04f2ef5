import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {describe, expect, test} from 'vitest';
import {UsageError} from '../source/errors.js';
import {findUnknownFlag, splitCommand} from '../source/argv.js';
import {defaultLabel} from '../source/option-values.js';
import {parseRunOptions} from '../source/options.js';

const tty = {stdoutIsTTY: true, ci: false};

describe('parseRunOptions', () => {
	test('a command with defaults', () => {
		const options = parseRunOptions({}, ['node', 'server.js', '--port', '0'], tty);
		expect(options).toMatchObject({
			target: {kind: 'command', argv: ['node', 'server.js', '--port', '0']},
			children: true,
			intervalMs: 1000,
			durationMs: undefined,
			label: 'server',
			reportDir: 'memmon-reports',
			plain: false,
			printEveryMs: 1000,
			pssEveryMs: 10_000,
			pssAuto: true,
			// Without --interval, the first ten seconds at 5 Hz.
			startup: {intervalMs: 200, untilMs: 10_000},
		});
	});

	test('a pid with every flag', () => {
		const options = parseRunOptions({pid: '1234', children: false, interval: '5s', duration: '10m', label: 'soak run', reportDir: './r', plain: true, printEvery: '1m'}, [], tty);
		expect(options).toMatchObject({target: {kind: 'pid', pid: 1234}, children: false, intervalMs: 5000, durationMs: 600_000, label: 'soak-run', reportDir: './r', plain: true, printEveryMs: 60_000});
		// An --interval given is kept from the first sample on.
		expect(options.startup).toBeUndefined();
	});

	test('plain without a TTY or with CI', () => {
		expect(parseRunOptions({}, ['x'], {stdoutIsTTY: false, ci: false}).plain).toBe(true);
		expect(parseRunOptions({}, ['x'], {stdoutIsTTY: true, ci: true}).plain).toBe(true);
	});

	test.each([
		[{}, [], /nothing to watch/],
		[{pid: '1'}, ['x'], /either --pid or a command/],
		[{pid: '-3'}, [], /--pid -3 is not a process ID/],
		// Only decimal digits: Number() would read these as 16, 10, 3 and 7 (other processes).
		[{pid: '0x10'}, [], /^--pid 0x10 is not a process ID: use its decimal number/],
		[{pid: '1e1'}, [], /^--pid 1e1 is not a process ID/],
		[{pid: '0b11'}, [], /^--pid 0b11 is not a process ID/],
		[{pid: '0o7'}, [], /^--pid 0o7 is not a process ID/],
		[{pid: 'abc'}, [], /^--pid abc is not a process ID/],
		[{pid: ''}, [], /^--pid needs a process ID/],
		[{interval: '0'}, ['x'], /--interval 0 must be positive/],
		[{interval: '10x'}, ['x'], /--interval 10x is not a duration/],
		[{interval: '50ms'}, ['x'], /out of range: use 100ms to 1h/],
		[{interval: '2h'}, ['x'], /out of range/],
		[{duration: '-5m'}, ['x'], /--duration -5m must be positive/],
		[{label: '///'}, ['x'], /--label/],
		[{label: '..'}, ['x'], /--label/],
		[{reportDir: ' '}, ['x'], /--report-dir is empty/],
	])('rejects %j %j', (flags, command, message) => {
		expect(() => parseRunOptions(flags, command, tty)).toThrow(UsageError);
		expect(() => parseRunOptions(flags, command, tty)).toThrow(message);
	});
});

describe('helpers', () => {
	test('labels', () => {
		expect(defaultLabel({kind: 'pid', pid: 7}, '/nonexistent')).toBe('pid-7');
		expect(defaultLabel({kind: 'command', argv: ['python3', '-u', 'bench/run.py']})).toBe('run');
		expect(defaultLabel({kind: 'command', argv: ['/usr/bin/redis-server']})).toBe('redis-server');
		// No hidden folders: `ls` and `memmon report` pass over a name with a leading dot.
		expect(parseRunOptions({label: '../../escape'}, ['x'], tty).label).toBe('escape');
		expect(parseRunOptions({label: '.hidden run'}, ['x'], tty).label).toBe('hidden-run');
	});

	test('labels: an option\'s value is not the program, a Java main class or jar is, inline code leaves the interpreter', () => {
		const label = (...argv: string[]): string => defaultLabel({kind: 'command', argv});
		expect(label('java', '-Xmx512m', '-XX:+UseG1GC', '-cp', '/srv/classes', 'LruServer', '7201')).toBe('LruServer');
		expect(label('java', '-cp', 'lib/*', 'com.acme.Server')).toBe('Server');
		expect(label('java', '-jar', '/srv/billing.jar', '--port', '80')).toBe('billing');
		expect(label('java', '--module', 'acme.app/com.acme.Main')).toBe('Main');
		expect(label('/usr/bin/python3.12', '-m', 'uvicorn', 'app:app')).toBe('uvicorn');
		expect(label('python3', '-X', 'importtime', 'worker.py')).toBe('worker');
		expect(label('python3', '-c', 'import app; app.main()')).toBe('python3');
		expect(label('node', '-r', 'dotenv/config', 'server.js')).toBe('server');
		expect(label('node', '--import', 'tsx', 'src/main.ts')).toBe('main');
		expect(label('node', '-e', 'setInterval(() => {}, 1000)')).toBe('node');
		expect(label('bash', '-c', 'python3 x.py; true')).toBe('bash');
		expect(label('deno', 'run', '-A', 'main.ts')).toBe('main');
		expect(label('uv', 'run', 'python3', 'worker.py')).toBe('worker');
	});

	test('an attached process is named after its program, from its command line', () => {
		const proc = fs.mkdtempSync(path.join(os.tmpdir(), 'memmon-proc-'));
		try {
			fs.mkdirSync(path.join(proc, '1234'));
			fs.writeFileSync(path.join(proc, '1234', 'cmdline'), ['/root/.pyenv/versions/3.11.7/bin/python3', '-u', '/srv/app/worker.py', '--port', '8000', ''].join('\0'));
			fs.mkdirSync(path.join(proc, '99'));
			// A kernel thread: no command line.
			fs.writeFileSync(path.join(proc, '99', 'cmdline'), '');
			expect(defaultLabel({kind: 'pid', pid: 1234}, proc)).toBe('worker');
			expect(defaultLabel({kind: 'pid', pid: 99}, proc)).toBe('pid-99');
			// A version manager's shim, caught before it execs the interpreter.
			fs.mkdirSync(path.join(proc, '77'));
			fs.writeFileSync(path.join(proc, '77', 'cmdline'), 'bash\0/dev/fd/3\0');
			expect(defaultLabel({kind: 'pid', pid: 77}, proc)).toBe('bash');
			expect(defaultLabel({kind: 'pid', pid: 5}, proc)).toBe('pid-5');
		} finally {
			fs.rmSync(proc, {recursive: true, force: true});
		}
	});

	test('unknown flags, stopping at --', () => {
		const known = new Set(['pid', 'children', 'plain']);
		expect(findUnknownFlag(['--pid', '3', '--no-children', '--plain'], known)).toBeUndefined();
		expect(findUnknownFlag(['--pid', '3', '--frobnicate'], known)).toBe('--frobnicate');
		expect(findUnknownFlag(['--', '--frobnicate'], known)).toBeUndefined();
		expect(findUnknownFlag(['--bogus=1'], known)).toBe('--bogus');
	});

	test('splitCommand', () => {
		expect(splitCommand(['--plain', '--', 'node', '--', 'x'])).toEqual({own: ['--plain'], command: ['node', '--', 'x']});
		expect(splitCommand(['--pid', '1'])).toEqual({own: ['--pid', '1'], command: []});
	});
});
