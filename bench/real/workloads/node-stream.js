// A Node stream pipeline: records gzipped and gunzipped through zlib (native memory outside
// V8's heap); optionally a leak of Buffers (external memory) kept each second.
// node node-stream.js [--leak-mib-h R]
import zlib from 'node:zlib';
import crypto from 'node:crypto';
import {Readable, Writable, pipeline} from 'node:stream';
import {parseArgs} from 'node:util';

const {values: a} = parseArgs({options: {'leak-mib-h': {type: 'string', default: '0'}}});
const kept = [];

function run() {
	let n = 0;
	const source = new Readable({read() {
		this.push(n++ < 50 ? JSON.stringify({n, at: Date.now(), blob: crypto.randomBytes(512).toString('base64')}) + '\n' : null);
	}});
	let bytes = 0;
	const sink = new Writable({write(chunk, _encoding, done) {
		bytes += chunk.length;
		done();
	}});
	pipeline(source, zlib.createGzip(), zlib.createGunzip(), sink, error => {
		if (error) throw error;
		setTimeout(run, 200);
	});
}

run();
const perSecond = Number(a['leak-mib-h']) * 1024 * 1024 / 3600;
if (perSecond > 0) {
	setInterval(() => kept.push(crypto.randomBytes(Math.round(perSecond))), 1000);
}
