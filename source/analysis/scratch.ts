/**
Reused Float64Arrays for the pipeline's temporaries. A typed array over 64 bytes keeps its
numbers outside the JS heap, in memory malloc'd for it; a fresh one per evaluation left that
memory to wait for a major GC, which V8 runs rarely in a process as quiet as memmon, and memmon's
own RSS crept up through the first half hour of a run (bench:soak). Each caller takes its own
named slot; what it gets is valid until the same slot is taken again.
*/
const slots = new Map<string, Float64Array>();

/** `length` numbers of the slot `name` (their values are whatever was left there). */
export function scratch(name: string, length: number): Float64Array {
	let buffer = slots.get(name);
	if (!buffer || buffer.length < length) {
		buffer = new Float64Array(Math.max(length, 2 * (buffer?.length ?? 512)));
		slots.set(name, buffer);
	}

	return buffer.subarray(0, length);
}

/** `values` copied into the slot `name`. */
export function scratchCopy(name: string, values: ArrayLike<number>): Float64Array {
	const copy = scratch(name, values.length);
	for (let i = 0; i < values.length; i++) {
		copy[i] = values[i]!;
	}

	return copy;
}
