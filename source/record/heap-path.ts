/**
What holds the instances of a class that grew: the shortest chain of strong references to one of
them, from the program's global object where it can be, in words
(`global.sessions → Array[2400] → LeakySession`).
*/
import type {EdgeLayout} from './heap-dominators.js';

/** What the path search needs of a read snapshot. */
export type PathGraph = EdgeLayout & {
	readonly seen: Uint8Array;
	readonly idom: Int32Array;
	className(v: number): string;
	/** V8's node type of `v` (`object`, `synthetic`…). */
	type(v: number): string;
	/** Whether `v` is an instance of `name` made after `sinceId` (numbered by V8, id above it). */
	isNew(v: number, name: string, sinceId: number): boolean;
	/** Edge `e` in words: `.name` or `[index]` ('' for a shortcut). */
	edgeLabel(e: number): string;
	/** V8's edge type of `e` (`property`, `element`, `context`: a variable of a scope…). */
	edgeType(e: number): string;
};

/**
The instances that matter are held together: the one holder (immediate dominator) of the most of
them — a leaking Map's table, not the allocator's pool that holds one.
*/
function mainHolder(graph: PathGraph, name: string, sinceId: number): number {
	const held = new Map<number, number>();
	for (let v = 1; v < graph.n; v++) {
		if (graph.seen[v] === 1 && graph.isNew(v, name, sinceId)) {
			held.set(graph.idom[v]!, (held.get(graph.idom[v]!) ?? 0) + 1);
		}
	}

	let holder = -1;
	let most = 0;
	for (const [node, count] of held) {
		if (count > most) {
			holder = node;
			most = count;
		}
	}

	return holder;
}

/** Breadth first over strong edges from `starts`: the chain to the first node `wanted` takes, with the edge into each. */
function search(graph: PathGraph, starts: readonly number[], wanted: (v: number) => boolean, via: Int32Array): number[] | undefined {
	const from = new Int32Array(graph.n).fill(-1);
	const queue = new Uint32Array(graph.n);
	let head = 0;
	let tail = 0;
	for (const start of starts) {
		from[start] = start;
		queue[tail++] = start;
	}

	while (head < tail) {
		const v = queue[head++]!;
		for (let e = graph.firstEdge[v]!; e < graph.firstEdge[v + 1]!; e++) {
			const to = graph.target(e);
			if (graph.strong(e) && from[to] === -1) {
				from[to] = v;
				via[to] = e;
				queue[tail++] = to;
				if (wanted(to)) {
					const chain = [to];
					for (let u = to; from[u] !== u; u = from[u]!) {
						chain.unshift(from[u]!);
					}

					return chain;
				}
			}
		}
	}

	return undefined;
}

/** The chain of references to a new instance of `name` under its main holder, in words, or undefined. */
export function pathTo(graph: PathGraph, name: string, sinceId: number): string | undefined {
	if (graph.n === 0) {
		return undefined;
	}

	const holder = mainHolder(graph, name, sinceId);
	const wanted = (v: number): boolean => graph.idom[v] === holder && graph.isNew(v, name, sinceId);
	// A program's own data is reached through its global object where it can be: V8 links the
	// root to it by a shortcut in one version and through a hidden native context, as
	// `global (global*)`, in another, and other roots (handles) may reach the same object as
	// soon; JavaScriptCore (Bun) names it `GlobalObject`. Else from the root, without the
	// synthetic roots before the first real object.
	const via = new Int32Array(graph.n).fill(-1);
	const globals: number[] = [];
	for (let v = 1; v < graph.n; v++) {
		if (graph.seen[v] === 1 && graph.type(v) === 'object' && /^(?:global\b|GlobalObject$)/.test(graph.className(v))) {
			globals.push(v);
		}
	}

	const throughGlobal = globals.length > 0 ? search(graph, globals, wanted, via) : undefined;
	const chain = throughGlobal ?? search(graph, [0], wanted, via)?.filter(v => v !== 0 && graph.type(v) !== 'synthetic');
	if (!chain || chain.length === 0) {
		return undefined;
	}

	// `global.sessions → Array.elements → (array)[4349] → LeakySession`: each reference named
	// after the object that holds it. A variable of a module or a closure is where the program
	// names what holds the objects; the way from the global object to that scope goes through
	// whichever closure of the scope came first (`global.CustomEvent → CustomEvent().context → …`),
	// and says nothing: the path starts at the last such variable.
	const scope = chain.findLastIndex((v, k) => k > 0 && graph.edgeType(via[v]!) === 'context');
	const from = scope > 0 ? scope : 0;
	const head = scope > 0 ? `(module or closure scope).${graph.edgeLabel(via[chain[scope]!]!).slice(1)} → ${graph.className(chain[scope]!)}` : throughGlobal ? 'global' : graph.className(chain[0]!);
	return head + chain.slice(from + 1).map(v => `${graph.edgeLabel(via[v]!)} → ${graph.className(v)}`).join('');
}
