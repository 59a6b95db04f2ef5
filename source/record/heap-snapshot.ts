/**
A V8 heap snapshot (`.heapsnapshot`, as `v8.writeHeapSnapshot()` and Chrome DevTools write it)
summarised by constructor — instances, their own size, and the size they retain — and the
shortest path from the roots to an instance: what holds it.

Retained sizes come from the dominator tree (Cooper, Harvey and Kennedy's iterative algorithm over
the graph without weak edges): what an object retains is what would be freed with it. A class's
retained size counts only its instances not held by another instance of the same class, so a
linked list is not counted once per link.

Two snapshots of one process are compared by object: V8 keeps an object's id from one snapshot to
the next and numbers new objects upwards, so the objects of the later snapshot with an id above the
earlier one's largest were made in between and still live — what grew, without the containers that
merely hold it (they were there before, and show in the path instead).
*/

/** The JSON of a snapshot, as far as it is read here. */
export type HeapSnapshotJson = {
	readonly snapshot: {
		readonly meta: {
			readonly node_fields: readonly string[];
			readonly node_types: readonly [readonly string[], ...unknown[]];
			readonly edge_fields: readonly string[];
			readonly edge_types: readonly [readonly string[], ...unknown[]];
		};
	};
	readonly nodes: ArrayLike<number>;
	readonly edges: ArrayLike<number>;
	readonly strings: readonly string[];
};

/** One constructor (or kind of V8 object: `(string)`, `(array)`, `(code)`…) in a snapshot. */
export type ClassSummary = {readonly count: number; readonly size: number; readonly retained: number};

/** A snapshot read for diffing. */
export type HeapGraph = {
	/** Nodes, by index. */
	readonly nodeCount: number;
	/** The constructor (or kind) of node `i`. */
	className(i: number): string;
	/** Self size of node `i`, bytes. */
	selfSize(i: number): number;
	/** The largest id of V8's own objects: objects made later have larger ones. */
	readonly maxId: number;
	/** Every constructor with its instances, own size and retained size (reachable nodes only; with `sinceId`, only objects with a larger id). */
	classes(sinceId?: number): Map<string, ClassSummary>;
	/** The shortest chain of references from the roots to an instance of `name` (with an id above `sinceId`: one made since), in words. */
	pathTo(name: string, sinceId?: number): string | undefined;
};

/** Read a parsed snapshot: its classes with retained sizes, and paths on demand. */
export function readHeapGraph(json: HeapSnapshotJson): HeapGraph {
	const meta = json.snapshot.meta;
	const nf = meta.node_fields.length;
	const ef = meta.edge_fields.length;
	const nodeTypes = meta.node_types[0];
	const edgeTypes = meta.edge_types[0];
	const typeAt = meta.node_fields.indexOf('type');
	const nameAt = meta.node_fields.indexOf('name');
	const sizeAt = meta.node_fields.indexOf('self_size');
	const edgeCountAt = meta.node_fields.indexOf('edge_count');
	const edgeTypeAt = meta.edge_fields.indexOf('type');
	const edgeNameAt = meta.edge_fields.indexOf('name_or_index');
	const toAt = meta.edge_fields.indexOf('to_node');
	const weak = edgeTypes.indexOf('weak');
	const {nodes, edges, strings} = json;
	const n = Math.floor(nodes.length / nf);

	const firstEdge = new Uint32Array(n + 1);
	for (let i = 0; i < n; i++) {
		firstEdge[i + 1] = firstEdge[i]! + nodes[(i * nf) + edgeCountAt]!;
	}

	const target = (e: number): number => nodes.length === 0 ? 0 : edges[(e * ef) + toAt]! / nf;
	const strong = (e: number): boolean => edges[(e * ef) + edgeTypeAt] !== weak;

	// Depth-first postorder from the root (node 0) over strong edges.
	const postIndex = new Int32Array(n).fill(-1);
	const postorder = new Uint32Array(n);
	let reached = 0;
	const stack = new Uint32Array(n);
	const nextEdge = new Uint32Array(n);
	const seen = new Uint8Array(n);
	let depth = 0;
	if (n > 0) {
		stack[0] = 0;
		nextEdge[0] = firstEdge[0]!;
		seen[0] = 1;
		depth = 1;
	}

	while (depth > 0) {
		const v = stack[depth - 1]!;
		const e = nextEdge[depth - 1]!;
		if (e < firstEdge[v + 1]!) {
			nextEdge[depth - 1] = e + 1;
			const to = target(e);
			if (strong(e) && seen[to] === 0) {
				seen[to] = 1;
				stack[depth] = to;
				nextEdge[depth] = firstEdge[to]!;
				depth++;
			}
		} else {
			postIndex[v] = reached;
			postorder[reached++] = v;
			depth--;
		}
	}

	// Predecessors of every reached node, in one flat array.
	const predStart = new Uint32Array(n + 1);
	for (let v = 0; v < n; v++) {
		if (seen[v] === 1) {
			for (let e = firstEdge[v]!; e < firstEdge[v + 1]!; e++) {
				if (strong(e)) {
					const at = target(e) + 1;
					predStart[at] = predStart[at]! + 1;
				}
			}
		}
	}

	for (let i = 0; i < n; i++) {
		predStart[i + 1] = predStart[i + 1]! + predStart[i]!;
	}

	const preds = new Uint32Array(predStart[n]!);
	const fill = predStart.slice();
	for (let v = 0; v < n; v++) {
		if (seen[v] === 1) {
			for (let e = firstEdge[v]!; e < firstEdge[v + 1]!; e++) {
				if (strong(e)) {
					preds[fill[target(e)]!++] = v;
				}
			}
		}
	}

	// Immediate dominators, in reverse postorder until nothing changes.
	const idom = new Int32Array(n).fill(-1);
	if (n > 0) {
		idom[0] = 0;
	}

	const intersect = (a: number, b: number): number => {
		while (a !== b) {
			while (postIndex[a]! < postIndex[b]!) {
				a = idom[a]!;
			}

			while (postIndex[b]! < postIndex[a]!) {
				b = idom[b]!;
			}
		}

		return a;
	};

	for (let changed = true; changed;) {
		changed = false;
		for (let k = reached - 2; k >= 0; k--) {
			const v = postorder[k]!;
			let d = -1;
			for (let p = predStart[v]!; p < predStart[v + 1]!; p++) {
				const u = preds[p]!;
				if (idom[u] !== -1) {
					d = d === -1 ? u : intersect(u, d);
				}
			}

			if (d !== -1 && idom[v] !== d) {
				idom[v] = d;
				changed = true;
			}
		}
	}

	const selfSize = (i: number): number => nodes[(i * nf) + sizeAt]!;
	const retained = new Float64Array(n);
	// Postorder: every node after all it dominates, so its total is complete when it is passed up.
	for (let k = 0; k < reached; k++) {
		const v = postorder[k]!;
		retained[v] = retained[v]! + selfSize(v);
		if (k < reached - 1) {
			retained[idom[v]!] = retained[idom[v]!]! + retained[v]!;
		}
	}

	const className = (i: number): string => {
		const type = nodeTypes[nodes[(i * nf) + typeAt]!];
		const name = strings[nodes[(i * nf) + nameAt]!] ?? '';
		if (type === 'object') {
			return name;
		}

		return type === 'closure' ? `${name || '(anonymous)'}()` : `(${type})`;
	};

	const idAt = meta.node_fields.indexOf('id');
	const id = (i: number): number => nodes[(i * nf) + idAt]!;
	// V8's own objects are numbered upwards; the embedder's (native) and synthetic nodes are not.
	const numbered = (v: number): boolean => {
		const type = nodeTypes[nodes[(v * nf) + typeAt]!];
		return type !== 'native' && type !== 'synthetic';
	};

	let maxId = 0;
	for (let v = 0; v < n; v++) {
		if (numbered(v)) {
			maxId = Math.max(maxId, id(v));
		}
	}

	const classes = (sinceId = -1): Map<string, ClassSummary> => {
		const result = new Map<string, {count: number; size: number; retained: number}>();
		for (let v = 1; v < n; v++) {
			if (seen[v] === 1 && id(v) > sinceId && numbered(v)) {
				const name = className(v);
				const summary = result.get(name) ?? {count: 0, size: 0, retained: 0};
				summary.count++;
				summary.size += selfSize(v);
				// Held by another new instance of its class: counted in that one's retained size.
				if (className(idom[v]!) !== name || id(idom[v]!) <= sinceId) {
					summary.retained += retained[v]!;
				}

				result.set(name, summary);
			}
		}

		return result;
	};

	const edgeLabel = (e: number): string => {
		const type = edgeTypes[edges[(e * ef) + edgeTypeAt]!];
		const name = edges[(e * ef) + edgeNameAt]!;
		if (type === 'shortcut') {
			return '';
		}

		const label = type === 'element' || type === 'hidden' ? String(name) : strings[name] ?? String(name);
		return /^\d+$/.test(label) ? `[${label}]` : `.${label}`;
	};

	return {
		nodeCount: n,
		className,
		selfSize,
		maxId,
		classes,
		pathTo(name, sinceId = -1) {
			// The instances that matter are held together: the one holder (immediate dominator) of the
			// most of them — a leaking Map's table, not the allocator's pool that holds one. Then breadth
			// first from the root over strong edges: the shortest chain to an instance it holds.
			const held = new Map<number, number>();
			for (let v = 1; v < n; v++) {
				if (seen[v] === 1 && id(v) > sinceId && numbered(v) && className(v) === name) {
					held.set(idom[v]!, (held.get(idom[v]!) ?? 0) + 1);
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

			if (n === 0) {
				return undefined;
			}

			const wanted = (v: number): boolean => idom[v] === holder && className(v) === name && id(v) > sinceId && numbered(v);
			// Breadth first over strong edges from `starts`; the chain back to one of them, or undefined.
			const search = (starts: readonly number[]): number[] | undefined => {
				const from = new Int32Array(n).fill(-1);
				const queue = new Uint32Array(n);
				let head = 0;
				let tail = 0;
				for (const start of starts) {
					from[start] = start;
					queue[tail++] = start;
				}

				while (head < tail) {
					const v = queue[head++]!;
					for (let e = firstEdge[v]!; e < firstEdge[v + 1]!; e++) {
						const to = target(e);
						if (strong(e) && from[to] === -1) {
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
			};

			// A program's own data is reached through its global object where it can be: V8 links the
			// root to it by a shortcut in one version and through a hidden native context, as
			// `global (global*)`, in another, and other roots (handles) may reach the same object as
			// soon. Else from the root, without the synthetic roots before the first real object.
			const via = new Int32Array(n).fill(-1);
			const globals: number[] = [];
			for (let v = 1; v < n; v++) {
				if (seen[v] === 1 && nodeTypes[nodes[(v * nf) + typeAt]!] === 'object' && /^global\b/.test(className(v))) {
					globals.push(v);
				}
			}

			const throughGlobal = globals.length > 0 ? search(globals) : undefined;
			const chain = throughGlobal ?? search([0])?.filter(v => v !== 0 && nodeTypes[nodes[(v * nf) + typeAt]!] !== 'synthetic');
			if (!chain || chain.length === 0) {
				return undefined;
			}

			// `global.sessions → Array.elements → (array)[4349] → LeakySession`: each reference named
			// after the object that holds it.
			return chain.map((v, k) => k === 0 ? (throughGlobal ? 'global' : className(v)) : `${edgeLabel(via[v]!)} → ${className(v)}`).join('');
		},
	};
}

/** A constructor whose instances grew between two snapshots. */
export type ClassGrowth = {readonly name: string; readonly count: number; readonly size: number; readonly retained: number};

/**
The constructors with instances made after `before` that still live in `after` (two snapshots of
one process), most retained bytes first (at most `limit`, each retaining at least a KiB and a
hundredth of the first: below that it is the runtime's own churn). The program's own objects
(`Buffer`, `LeakySession`) go before V8's internal kinds (`(array)`, `(string)`…) that retain less
than four times as much: a Map's new backing store retains every entry, old ones too, and says
less than the objects in it.
*/
export function grownSince(before: HeapGraph, after: HeapGraph, limit = 10): ClassGrowth[] {
	const grown = [...after.classes(before.maxId)].map(([name, summary]) => ({name, ...summary}));
	grown.sort((a, b) => b.retained - a.retained);
	const floor = Math.max(1024, 0.01 * (grown[0]?.retained ?? 0));
	const kept = grown.filter(row => row.retained >= floor);
	const internal = (row: ClassGrowth): boolean => row.name.startsWith('(');
	const lead = kept.find(row => !internal(row) && 4 * row.retained >= (kept[0]?.retained ?? 0));
	return (lead ? [lead, ...kept.filter(row => row !== lead)] : kept).slice(0, limit);
}
