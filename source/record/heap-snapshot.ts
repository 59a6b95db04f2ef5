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
import {dominators} from './heap-dominators.js';
import {pathTo} from './heap-path.js';

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
	const [typeAt, nameAt, sizeAt, edgeCountAt, idAt] = ['type', 'name', 'self_size', 'edge_count', 'id'].map(field => meta.node_fields.indexOf(field)) as [number, number, number, number, number];
	const [edgeTypeAt, edgeNameAt, toAt] = ['type', 'name_or_index', 'to_node'].map(field => meta.edge_fields.indexOf(field)) as [number, number, number];
	const weak = edgeTypes.indexOf('weak');
	const {nodes, edges, strings} = json;
	const n = Math.floor(nodes.length / nf);
	const firstEdge = new Uint32Array(n + 1);
	for (let i = 0; i < n; i++) {
		firstEdge[i + 1] = firstEdge[i]! + nodes[(i * nf) + edgeCountAt]!;
	}

	const layout = {
		n,
		firstEdge,
		target: (e: number): number => nodes.length === 0 ? 0 : edges[(e * ef) + toAt]! / nf,
		strong: (e: number): boolean => edges[(e * ef) + edgeTypeAt] !== weak,
	};
	const selfSize = (i: number): number => nodes[(i * nf) + sizeAt]!;
	const {seen, idom, retained} = dominators(layout, selfSize);
	const type = (v: number): string => nodeTypes[nodes[(v * nf) + typeAt]!] ?? '';
	const className = (i: number): string => {
		const name = strings[nodes[(i * nf) + nameAt]!] ?? '';
		return type(i) === 'object' ? name : type(i) === 'closure' ? `${name || '(anonymous)'}()` : `(${type(i)})`;
	};

	const id = (i: number): number => nodes[(i * nf) + idAt]!;
	// V8's own objects are numbered upwards; the embedder's (native) and synthetic nodes are not.
	const numbered = (v: number): boolean => type(v) !== 'native' && type(v) !== 'synthetic';
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
		const kind = edgeTypes[edges[(e * ef) + edgeTypeAt]!];
		const name = edges[(e * ef) + edgeNameAt]!;
		if (kind === 'shortcut') {
			return '';
		}

		const label = kind === 'element' || kind === 'hidden' ? String(name) : strings[name] ?? String(name);
		// JavaScriptCore's (Bun's) internal references have no name.
		return label === '' ? '' : /^\d+$/.test(label) ? `[${label}]` : `.${label}`;
	};

	const isNew = (v: number, name: string, sinceId: number): boolean => id(v) > sinceId && numbered(v) && className(v) === name;
	const edgeType = (e: number): string => edgeTypes[edges[(e * ef) + edgeTypeAt]!] ?? '';
	const paths = {...layout, seen, idom, className, type, isNew, edgeLabel, edgeType};
	return {nodeCount: n, className, selfSize, maxId, classes, pathTo: (name, sinceId = -1) => pathTo(paths, name, sinceId)};
}

/** A constructor whose instances grew between two snapshots. */
export type ClassGrowth = {readonly name: string; readonly count: number; readonly size: number; readonly retained: number};

/**
The constructors with instances made after `before` that still live in `after` (two snapshots of
one process), most retained bytes first (at most `limit`, each retaining at least a KiB and a
hundredth of the first: below that it is the runtime's own churn). The program's own objects
(`Buffer`, `LeakySession`) go before V8's internal kinds (`(array)`, `(string)`…) that retain less
than four times as much: a Map's new backing store retains every entry, old ones too, and says
less than the objects in it. Of the program's own, one with a tenth of the most new instances.
*/
export function grownSince(before: HeapGraph, after: HeapGraph, limit = 10): ClassGrowth[] {
	const grown = [...after.classes(before.maxId)].map(([name, summary]) => ({name, ...summary}));
	grown.sort((a, b) => b.retained - a.retained);
	const floor = Math.max(1024, 0.01 * (grown[0]?.retained ?? 0));
	const kept = grown.filter(row => row.retained >= floor);
	const internal = (row: ClassGrowth): boolean => row.name.startsWith('(');
	// A handful of new containers retaining as much as thousands of new objects is where those
	// sit, not what leaks: JavaScriptCore gives a growing array new storage, and Bun's snapshot of a
	// LeakySession leak put 8 new Arrays (+4.2 MiB) above 14,050 LeakySessions (+4.1 MiB), and the
	// path to one of those Arrays led into Bun's own modules.
	const most = Math.max(0, ...kept.filter(row => !internal(row)).map(row => row.count));
	const lead = kept.find(row => !internal(row) && 4 * row.retained >= (kept[0]?.retained ?? 0) && 10 * row.count >= most);
	return (lead ? [lead, ...kept.filter(row => row !== lead)] : kept).slice(0, limit);
}
