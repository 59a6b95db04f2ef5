/**
memmon's own heap, kept small for days.

V8 runs its first full collection of a small, quiet heap late: in a live memmon at 1 s, ~13
minutes in. Until then promoted garbage piles up in the old and large-object spaces, and the
malloc heap (where dead buffers' memory lives) ratchets up at each collection and is not given
back: memmon's own RSS rose ~6 MiB in steps over its first 20 minutes (73.4 → 79.5 MiB, `[heap]`
9 → 13 MiB). So a run collects its own garbage: once a minute of run time, after the sample's
frame is drawn, it reads the heap in use plus external memory and runs a full collection when
that has grown by 1 MiB since the last one (Session's `collect`). One collection costs ~30 ms on
one thread (a ~17 MiB heap): every minute that would be 0.05% of a core, on demand it is a few
per half hour. With it a live memmon holds 73–76 MiB from its first minute (bench/README.md,
finding 13), and the same check serves sub-second intervals, whose garbage comes faster.

glibc's malloc heap (where Node's buffers and V8's own native memory live) grew and shrank by ~2
MiB every minute or two in a live memmon — a collection frees blocks, the heap's free top passes
glibc's trim threshold (128 KiB) and is given back, the next minute takes it again — and the
self-watch judged those swings. glibc raises its thresholds for good once a block it had mapped on
its own (above the 128 KiB mmap threshold) is freed: the mmap threshold to that block's size, the
trim threshold to twice it (mallopt(3), "dynamic mmap threshold"). So memmon frees one 2 MiB block
at start: blocks under 2 MiB then come from the heap, and the heap keeps up to 4 MiB of free top
instead of returning and re-taking it (bench/README.md, finding 21).

V8 copies its built-in functions next to the code it compiles (short builtin calls), a 1.6 MiB
mapping of the node binary that the kernel pages in 64 KiB at a time as each builtin first runs.
In a live memmon that happened through the whole half hour as rarer paths ran for the first time
(the first checkpoint, then at minute 5, the watched verdict's first change at 22): +256 KiB in steps,
judged as growth. So a run reads that mapping through /proc/self/mem once at start, which pages
it in whole (~6 ms, +0.45 MiB then, nothing later; bench/README.md, finding 24). The binary's own
code (tens of MiB) is left as it is.

The young generation is pinned on the command line (the shebang's --min/max-semi-space-size=2: live
peak RSS 100 → 88 MiB); from inside the process, v8.setFlagsFromString has no effect on it.
`--optimize-for-size` flattened RSS but cost 2.4× the CPU.
*/
import fs from 'node:fs';
import v8 from 'node:v8';
import vm from 'node:vm';
import type {SessionOptions} from './session.js';

let gc: (() => void) | undefined;

/** Get hold of a full collection; call once, early (before other modules load). */
export function tuneHeap(): void {
	v8.setFlagsFromString('--expose-gc');
	try {
		gc = vm.runInNewContext('gc') as () => void;
	} catch {
		gc = undefined;
	}

	settleMalloc();
}

/** The block freed at start: glibc's mmap threshold becomes this, its trim threshold twice this. */
const MALLOC_SETTLE_BYTES = 2 * 1024 * 1024;

/** Free one 2 MiB block that glibc mapped on its own (see above); once, at start. */
function settleMalloc(): void {
	if (!gc || process.platform !== 'linux') {
		return;
	}

	// Dropped as soon as made: the collection frees it, and glibc raises its thresholds to it.
	Reflect.construct(ArrayBuffer, [MALLOC_SETTLE_BYTES]);
	gc();
}

/** Mappings of the node binary's code above this size are its own text, not the builtins' copy. */
const BUILTINS_MAX_BYTES = 8 * 1024 * 1024;

/**
Page in V8's copy of the builtins whole (see above); once, at the start of a run. Returns the
bytes read (0 where there is no such mapping or it cannot be read: nothing else changes then).
*/
export function mapBuiltins(): number {
	if (process.platform !== 'linux') {
		return 0;
	}

	const chunk = Buffer.alloc(64 * 1024);
	let read = 0;
	let fd: number | undefined;
	try {
		for (const line of fs.readFileSync('/proc/self/maps', 'latin1').split('\n')) {
			// 7f1276600000-7f1276792000 r-xp 02200000 fe:00 260689    /usr/bin/node
			const match = /^([\da-f]+)-([\da-f]+) r-xp \S+ \S+ \S+\s+(.+)$/.exec(line);
			if (match?.[3] !== process.execPath) {
				continue;
			}

			const start = Number.parseInt(match[1]!, 16);
			const length = Number.parseInt(match[2]!, 16) - start;
			if (length > BUILTINS_MAX_BYTES) {
				continue;
			}

			fd ??= fs.openSync('/proc/self/mem', 'r');
			// In 64 KiB reads: a buffer as large as the mapping would stay in the malloc heap.
			for (let at = 0; at < length; at += chunk.length) {
				read += fs.readSync(fd, chunk, 0, Math.min(chunk.length, length - at), start + at);
			}
		}
	} catch {
		// A kernel or sandbox without /proc/self/mem: the pages come in as they are used.
	} finally {
		if (fd !== undefined) {
			fs.closeSync(fd);
		}
	}

	return read;
}

/** A run's own collection (see above), if memmon could get hold of one. */
export function ownCollection(): SessionOptions['collect'] {
	const collect = gc;
	if (!collect) {
		return undefined;
	}

	return {
		everyMs: 60_000,
		growth: 1024 * 1024,
		size() {
			const heap = v8.getHeapStatistics();
			return heap.used_heap_size + heap.external_memory;
		},
		run: collect,
	};
}
