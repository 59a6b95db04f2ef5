/**
The least a Node sampler can do at 1 Hz, for the overhead bench's floor: two procfs reads through
kept descriptors, one CSV line appended, one progress line on stderr. No analysis, no reports.
What this costs above a bare Node timer is what Node pays for the work itself; memmon's plain
mode does this and more (the quarters, the verdict, checkpoints, PSS now and then).

`node dist-bench/bench/minimal-sampler.js PID CSV_FILE`
*/
import fs from 'node:fs';

const [pid, csv] = process.argv.slice(2) as [string, string];
const stat = fs.openSync(`/proc/${pid}/stat`, 'r');
const status = fs.openSync(`/proc/${pid}/status`, 'r');
const out = fs.openSync(csv, 'a');
const buffer = Buffer.allocUnsafe(64 * 1024);
const started = performance.now();
// eslint-disable-next-line no-restricted-globals -- a bench floor: the plainest 1 Hz loop Node has.
setInterval(() => {
	const statText = buffer.toString('latin1', 0, fs.readSync(stat, buffer, 0, buffer.length, 0));
	const statusText = buffer.toString('latin1', 0, fs.readSync(status, buffer, 0, buffer.length, 0));
	const rss = Number(/VmRSS:\s+(\d+)/.exec(statusText)?.[1] ?? 0) * 1024;
	const t = (performance.now() - started) / 1000;
	fs.writeSync(out, `${t.toFixed(3)},${new Date().toISOString()},${rss},${statText.split(' ').length}\n`);
	process.stderr.write(`sampler ${t.toFixed(0)}s rss ${(rss / 1_048_576).toFixed(1)} MiB\n`);
}, 1000);
