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

/** Size and resident KiB of each mapping of the node binary's code in a child, before and after `mapBuiltins()`. */
function codeMappings(): {before: Array<[number, number]>; after: Array<[number, number]>; read: number} {
	const heapModule = pathToFileURL(path.join(root, 'dist/heap.js')).href;
	const script = `
		import fs from 'node:fs';
		const {mapBuiltins} = await import(${JSON.stringify(heapModule)});
		const code = () => {
			const lines = fs.readFileSync('/proc/self/smaps', 'utf8').split('\\n');
			const found = [];
			for (let i = 0; i < lines.length; i++) {
				if (lines[i].includes(' r-xp ') && lines[i].endsWith(process.execPath)) {
					const field = name => Number(/\\d+/.exec(lines.slice(i + 1, i + 30).find(line => line.startsWith(name)))[0]);
					found.push([field('Size:'), field('Rss:')]);
				}
			}
			return found;
		};
		const before = code();
		const read = mapBuiltins();
		process.stdout.write(JSON.stringify({before, after: code(), read}));
	`;
	const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], {encoding: 'utf8'});
	expect(result.stderr).toBe('');
	return JSON.parse(result.stdout) as {before: Array<[number, number]>; after: Array<[number, number]>; read: number};
}

test.runIf(process.platform === 'linux')('a run pages in V8\'s copy of the builtins whole, and leaves the binary\'s own code as it was', () => {
	const {before, after, read} = codeMappings();
	const isCopy = ([size]: [number, number]): boolean => size >= 256 && size <= 8192;
	const copy = before.findIndex(mapping => isCopy(mapping));
	// Without short builtin calls (a machine under 4 GB) there is no copy to page in.
	if (copy === -1) {
		expect(read).toBeLessThan(256 * 1024);
		return;
	}

	// A fresh Node has run only some of its builtins…
	expect(before[copy]![1]).toBeLessThan(before[copy]![0]);
	// …and afterwards all of the copy is resident,
	expect(after[copy]![1]).toBe(after[copy]![0]);
	expect(read).toBeGreaterThanOrEqual(before[copy]![0] * 1024);
	// while the binary's own code (tens of MiB) is not read.
	const text = before.findIndex(([size]) => size > 8192);
	expect(after[text]![1]).toBeLessThan(after[text]![0]);
	expect(read).toBeLessThan(before[text]![0] * 1024);
});
