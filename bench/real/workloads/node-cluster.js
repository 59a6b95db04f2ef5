// node-server.js under node:cluster: a primary and WORKERS workers (env, default 2) sharing one port,
// each with its own bounded LRU (and leak, with --leak-mib-h: each worker's); a worker that dies is replaced.
// node node-cluster.js --port P [node-server.js options]
import cluster from 'node:cluster';

if (cluster.isPrimary) {
	for (let i = 0; i < Number(process.env.WORKERS ?? 2); i++) {
		cluster.fork();
	}

	cluster.on('exit', () => cluster.fork());
} else {
	await import('./node-server.js');
}
