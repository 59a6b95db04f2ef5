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

The young generation is capped on the command line (the shebang's --max-semi-space-size=2: live
peak RSS 100 → 88 MiB); from inside the process, v8.setFlagsFromString has no effect on it.
`--optimize-for-size` flattened RSS but cost 2.4× the CPU.
*/
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
