// An HTTP client (global fetch, undici inside) polling a service at a steady rate and keeping the
// last few hundred answers, as a gateway or a scraper does. The recorded process is this client.
// node node-fetch.js --port P [--rps R] [--keyspace K]
import {parseArgs} from 'node:util';

const {values: a} = parseArgs({options: {
	port: {type: 'string'}, rps: {type: 'string', default: '100'}, keyspace: {type: 'string', default: '20000'},
}});
const recent = [];
let n = 0;
setInterval(() => {
	for (let i = 0; i < Number(a.rps) / 20; i++) {
		const k = Math.floor(Math.random() * Number(a.keyspace));
		fetch(`http://127.0.0.1:${a.port}/?k=${k}`).then(r => r.json()).then(body => {
			recent[n++ % 500] = body;
		}, () => {});
	}
}, 50);
