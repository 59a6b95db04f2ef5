/**
`node dist-bench/bench/smaps-log.js PID OUT.jsonl [SECONDS]`: where a process's RSS lives, every
SECONDS (default 15) until it exits — one JSON line per reading with the resident KiB of glibc's
heap (`[heap]`), V8's 256 KiB pages, other anonymous mappings (V8's code among them), file-backed
mappings and stacks, and every mapping's own figure for diffs. Found the self-watch's step
(bench/README.md, finding 16): `[heap]` pinned 2 MiB higher, not V8's heap.
*/
import fs from 'node:fs';

const [pid, out, every = '15'] = process.argv.slice(2) as [string, string, string?];

type Mapping = {name: string; size: number; rss: number};

function read(): Record<string, Mapping> {
	const maps: Record<string, Mapping> = {};
	let key = '';
	let name = '';
	let size = 0;
	for (const line of fs.readFileSync(`/proc/${pid}/smaps`, 'utf8').split('\n')) {
		const header = /^([\da-f]+)-[\da-f]+ (\S+) \S+ \S+ \S+\s*(.*)$/.exec(line);
		if (header) {
			key = `${header[1]} ${header[2]}`;
			name = header[3] ?? '';
		} else if (line.startsWith('Size:')) {
			size = Number(line.split(/\s+/)[1]);
		} else if (line.startsWith('Rss:')) {
			const rss = Number(line.split(/\s+/)[1]);
			if (rss > 0) {
				maps[key] = {name, size, rss};
			}
		}
	}

	return maps;
}

const started = Date.now();
fs.writeFileSync(out, '');
// eslint-disable-next-line no-restricted-globals -- a diagnostic outside memmon: wall-clock cadence is all it needs.
const timer = setInterval(() => {
	let maps: Record<string, Mapping>;
	try {
		maps = read();
	} catch {
		clearInterval(timer);
		return;
	}

	const sums = {heap: 0, v8Pages: 0, anonOther: 0, file: 0, stack: 0};
	for (const m of Object.values(maps)) {
		if (m.name === '[heap]') {
			sums.heap += m.rss;
		} else if (m.name.startsWith('[stack')) {
			sums.stack += m.rss;
		} else if (m.name === '') {
			if (m.size === 256) {
				sums.v8Pages += m.rss;
			} else {
				sums.anonOther += m.rss;
			}
		} else {
			sums.file += m.rss;
		}
	}

	fs.appendFileSync(out, `${JSON.stringify({t: Math.round((Date.now() - started) / 1000), ...sums, maps})}\n`);
}, Number(every) * 1000);
