/** What a test file cleans up after each test: processes, folders; the last registered first. */
import fs from 'node:fs';
import {afterEach} from 'vitest';
import {temporaryDir} from './cli.js';

/** Register the file's after-each cleanup; `reportDir()` makes a folder that goes with it. */
export function cleanupAfterEach(): {cleanups: Array<() => void>; reportDir: () => string} {
	const cleanups: Array<() => void> = [];
	afterEach(() => {
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
