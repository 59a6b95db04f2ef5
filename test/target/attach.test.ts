import {describe, expect, test} from 'vitest';
import {UsageError} from '../../source/errors.js';
import {attach} from '../../source/target/attach.js';

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
});
