/**
The dominator tree of a heap graph and the sizes it gives: what an object retains is what would be
freed with it. Cooper, Harvey and Kennedy's iterative algorithm ("A Simple, Fast Dominance
Algorithm") over the strong edges, from the root (node 0).
*/

/** A heap graph as flat arrays: node `v`'s edges are `firstEdge[v]` up to `firstEdge[v + 1]`. */
export type EdgeLayout = {
	readonly n: number;
	readonly firstEdge: Uint32Array;
	/** The node edge `e` points to. */
	target(e: number): number;
	/** Whether edge `e` holds its target (weak edges do not). */
	strong(e: number): boolean;
};

/** What the dominator pass finds. */
export type Dominators = {
	/** 1 for each node reached from the root over strong edges. */
	readonly seen: Uint8Array;
	/** The immediate dominator of each reached node (the root's is itself). */
	readonly idom: Int32Array;
	/** Bytes each node retains: its own and all it dominates. */
	readonly retained: Float64Array;
};

/** Depth-first postorder from the root over strong edges. */
function postorderOf(graph: EdgeLayout): {postorder: Uint32Array; postIndex: Int32Array; reached: number; seen: Uint8Array} {
	const {n, firstEdge} = graph;
	const postIndex = new Int32Array(n).fill(-1);
	const postorder = new Uint32Array(n);
	const stack = new Uint32Array(n);
	const nextEdge = new Uint32Array(n);
	const seen = new Uint8Array(n);
	let reached = 0;
	let depth = 0;
	if (n > 0) {
		nextEdge[0] = firstEdge[0]!;
		seen[0] = 1;
		depth = 1;
	}

	while (depth > 0) {
		const v = stack[depth - 1]!;
		const e = nextEdge[depth - 1]!;
		if (e < firstEdge[v + 1]!) {
			nextEdge[depth - 1] = e + 1;
			const to = graph.target(e);
			if (graph.strong(e) && seen[to] === 0) {
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

	return {postorder, postIndex, reached, seen};
}

/** The predecessors of every reached node over strong edges, in one flat array. */
function predecessorsOf(graph: EdgeLayout, seen: Uint8Array): {predStart: Uint32Array; preds: Uint32Array} {
	const {n, firstEdge} = graph;
	const predStart = new Uint32Array(n + 1);
	const eachStrongEdge = (visit: (from: number, to: number) => void): void => {
		for (let v = 0; v < n; v++) {
			if (seen[v] === 1) {
				for (let e = firstEdge[v]!; e < firstEdge[v + 1]!; e++) {
					if (graph.strong(e)) {
						visit(v, graph.target(e));
					}
				}
			}
		}
	};

	eachStrongEdge((_, to) => {
		predStart[to + 1] = predStart[to + 1]! + 1;
	});
	for (let i = 0; i < n; i++) {
		predStart[i + 1] = predStart[i + 1]! + predStart[i]!;
	}

	const preds = new Uint32Array(predStart[n]!);
	const fill = predStart.slice();
	eachStrongEdge((from, to) => {
		preds[fill[to]!++] = from;
	});
	return {predStart, preds};
}

/** Immediate dominators and retained sizes of every node reached from the root. */
export function dominators(graph: EdgeLayout, selfSize: (v: number) => number): Dominators {
	const {n} = graph;
	const {postorder, postIndex, reached, seen} = postorderOf(graph);
	const {predStart, preds} = predecessorsOf(graph, seen);
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

	// In reverse postorder until nothing changes.
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

	const retained = new Float64Array(n);
	// Postorder: every node after all it dominates, so its total is complete when it is passed up.
	for (let k = 0; k < reached; k++) {
		const v = postorder[k]!;
		retained[v] = retained[v]! + selfSize(v);
		if (k < reached - 1) {
			retained[idom[v]!] = retained[idom[v]!]! + retained[v]!;
		}
	}

	return {seen, idom, retained};
}
