// A supervisor that starts a short job every --every seconds (as cron or a CI agent does): each
// job is a Python process that builds --mib MiB, holds it --hold seconds and exits.
// Optionally the supervisor leaks --leak-mib-h, kept every 10 s as filled Buffers.
// node spawner.js [--every S] [--mib M] [--hold S] [--leak-mib-h R]
import {spawn} from 'node:child_process';
import {parseArgs} from 'node:util';

const {values: a} = parseArgs({options: {
	every: {type: 'string', default: '45'}, mib: {type: 'string', default: '80'}, hold: {type: 'string', default: '15'},
	'leak-mib-h': {type: 'string', default: '0'},
}});
const job = `import time; b = bytearray(b"x") * (${Number(a.mib)} * 1024 * 1024); time.sleep(${Number(a.hold)})`;
const start = () => spawn('python3', ['-c', job], {stdio: 'ignore'});
start();
setInterval(start, Number(a.every) * 1000);

const kept = [];
const perTen = Number(a['leak-mib-h']) * 1024 * 1024 / 360;
if (perTen > 0) {
	setInterval(() => kept.push(Buffer.alloc(Math.round(perTen), 1)), 10_000);
}
