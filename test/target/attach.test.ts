import {spawn} from 'node:child_process';
import {describe, expect, test} from 'vitest';
import {UsageError} from '../../source/errors.js';
import {attach} from '../../source/target/attach.js';
import {commandLine} from '../../source/target/identity.js';

describe('attach', () => {
	test('a PID that cannot be read (hidepid, another user): a usage error naming the fix', () => {
		// As root nothing is unreadable, so the reader is injected.
		expect(() => attach(4242, () => 'denied')).toThrow(UsageError);
		expect(() => attach(4242, () => 'denied')).toThrow('not allowed to read the memory of PID 4242: run memmon as the process\'s user or as root');
	});

	test('a PID that does not exist', () => {
		expect(() => attach(4242, () => 'not-found')).toThrow('no process with PID 4242: check it with `ps -p 4242` (it may have exited)');
	});

	test('a live process: its identity', () => {
		expect(attach(process.pid)).toMatchObject({pid: process.pid});
	});

	test('the command line of a process whose arguments hold line breaks: one line, the words apart', () => {
		const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30_000);\n\t// a\r\nb'], {stdio: 'ignore'});
		try {
			expect(commandLine(child.pid!)).toBe(`${process.execPath} -e setTimeout(() => {}, 30_000); // a b`);
		} finally {
			child.kill();
		}
	});
});
