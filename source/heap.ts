/**
memmon's own heap, kept small for days. The live view allocates short-lived garbage every frame
(when its lines went through Ink's output, a few MB); left alone, V8 answers by growing the heap's
capacity — RSS creeping up while the live set stays flat. With sub-second intervals memmon
compacts its heap with a major GC once a minute of run time, after a sample's work is done (a few
milliseconds). At 1 s and slower the heap holds steady without it (30-minute self-watch: RSS flat
at 120–122 MiB from minute 3 on), and compaction would only add a saw-tooth.

Measured (live view, 120×40, 10 samples/s, 1,800 samples): without compaction RSS 131 → 165 MB,
heap capacity 100 MB; with it RSS 127 MB after the first minute and flat. The young generation
is capped on the command line (the shebang's --max-semi-space-size=2: live peak RSS 100 → 88
MiB); from inside the process, v8.setFlagsFromString has no effect on it. `--optimize-for-size`
flattened RSS at 96 MB but cost 2.4× the CPU.
*/
import v8 from 'node:v8';
import vm from 'node:vm';

let gc: (() => void) | undefined;

/** Get hold of a major GC; call once, early. */
export function tuneHeap(): void {
	v8.setFlagsFromString('--expose-gc');
	try {
		gc = vm.runInNewContext('gc') as () => void;
	} catch {
		gc = undefined;
	}
}

/** A major GC, if memmon could get hold of one. */
export function compactHeap(): void {
	gc?.();
}
