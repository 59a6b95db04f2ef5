/** What a test file cleans up after each test (or, where its tests run at once, after them all): processes, folders; the last registered first. */
import fs from 'node:fs';
import {afterAll, afterEach} from 'vitest';
import {temporaryDir} from './cli.js';

type Cleanups = {cleanups: Array<() => void>; reportDir: () => string};

/** Register the file's after-each cleanup; `reportDir()` makes a folder that goes with it. */
export function cleanupAfterEach(): Cleanups {
	return cleanupWith(afterEach);
}

/**
The same, run once after the file's last test: for files whose tests run concurrently, where an
after-each hook would clean up a neighbour still running.
*/
export function cleanupAfterAll(): Cleanups {
	return cleanupWith(afterAll);
}

function cleanupWith(hook: typeof afterEach): Cleanups {
	const cleanups: Array<() => void> = [];
	hook(() => {
		// One that throws (a process already gone) does not keep the others from running.
		for (const cleanup of cleanups.splice(0).reverse()) {
			try {
				cleanup();
			} catch {}
		}
	});
	return {
		cleanups,
		reportDir() {
			const dir = temporaryDir();
			cleanups.push(() => {
				fs.rmSync(dir, {recursive: true, force: true});
			});
			return dir;
		},
	};
}
