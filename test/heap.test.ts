/**
memmon's start-up tuning of glibc's malloc (source/heap.ts): after it, blocks under 2 MiB come from
the main heap and stay there when freed, instead of the heap being given back and taken again
around every collection. Measured in a fresh Node process, whose malloc has not been tuned by
anything else.
*/
import {spawnSync} from 'node:child_process';
import path from 'node:path';
import {pathToFileURL} from 'node:url';
import {expect, test} from 'vitest';
import {root} from './helpers/cli.js';

/** `[heap]`'s resident KiB in a child before and after it holds, then frees, five 600 KiB buffers (2.9 MiB). */
function heapAround(tune: boolean): {before: number; holding: number; freed: number} {
	const heapModule = pathToFileURL(path.join(root, 'dist/heap.js')).href;
	const script = `
		import fs from 'node:fs';
		const {tuneHeap} = await import(${JSON.stringify(heapModule)});
		if (${tune}) tuneHeap();
		const gc = (await import('node:vm')).runInNewContext('gc');
		const heap = () => Number(/\\[heap\\]\\n(?:.*\\n)*?Rss:\\s+(\\d+)/.exec(fs.readFileSync('/proc/self/smaps', 'utf8'))?.[1] ?? 0);
		const before = heap();
		let held = Array.from({length: 5}, () => new Uint8Array(600 * 1024).fill(1));
		const holding = heap();
		held = undefined;
		gc();
		gc();
		process.stdout.write(JSON.stringify({before, holding, freed: heap()}));
	`;
	const result = spawnSync(process.execPath, ['--expose-gc', '--input-type=module', '-e', script], {encoding: 'utf8'});
	expect(result.stderr).toBe('');
	return JSON.parse(result.stdout) as {before: number; holding: number; freed: number};
}

test.runIf(process.platform === 'linux')('after the tuning, freed blocks under 2 MiB stay in the malloc heap rather than going back and forth', () => {
	const untuned = heapAround(false);
	// glibc's defaults: 600 KiB blocks are mapped on their own, the heap does not move.
	expect(untuned.holding - untuned.before).toBeLessThan(1024);
	const tuned = heapAround(true);
	// Tuned: they come from the heap…
	expect(tuned.holding - tuned.before).toBeGreaterThan(2.5 * 1024);
	// …and freeing them keeps the heap where it was: a free top under the 4 MiB trim threshold is
	// not given back (untuned, 128 KiB would have been).
	expect(tuned.freed).toBeGreaterThanOrEqual(tuned.holding - 512);
});
