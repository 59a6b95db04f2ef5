// A steady loopback load: HTTP GETs, or redis/memcached SETs and GETs, at a fixed rate.
// node node-load.js --proto http|redis|memcached --port P --rps R --keyspace K
//   [--new-keys-per-s N (redis/memcached: SET that many never-seen keys a second)] [--value-bytes B]
import http from 'node:http';
import net from 'node:net';
import {parseArgs} from 'node:util';

const {values: a} = parseArgs({options: {
	proto: {type: 'string', default: 'http'}, port: {type: 'string'},
	rps: {type: 'string', default: '100'}, keyspace: {type: 'string', default: '100000'},
	'new-keys-per-s': {type: 'string', default: '0'}, 'value-bytes': {type: 'string', default: '100'},
}});
const port = Number(a.port);
const rps = Number(a.rps);
const keyspace = Number(a.keyspace);
const value = 'v'.repeat(Number(a['value-bytes']));
const key = () => Math.floor(Math.random() * keyspace);
const tick = 50;
const perTick = rps * tick / 1000;
let carry = 0;
let fresh = 0;
let newCarry = 0;

function connect(onReady) {
	const socket = net.connect(port, '127.0.0.1', onReady);
	socket.on('data', () => {});
	socket.on('error', () => setTimeout(() => process.exit(1), 100));
	return socket;
}

let send;
if (a.proto === 'http') {
	const agent = new http.Agent({keepAlive: true, maxSockets: 4});
	send = () => {
		const request = http.get({host: '127.0.0.1', port, path: `/?k=${key()}`, agent}, response => response.resume());
		request.on('error', () => {});
	};
} else {
	let socket;
	const command = a.proto === 'redis'
		? (k, set) => set ? `SET k:${k} ${value}\r\n` : `GET k:${k}\r\n`
		: (k, set) => set ? `set k:${k} 0 0 ${value.length}\r\n${value}\r\n` : `get k:${k}\r\n`;
	send = set => socket?.write(command(key(), set));
	const newKeys = Number(a['new-keys-per-s']);
	setTimeout(function retry() {
		socket = connect(() => {});
	}, 1500);
	if (newKeys > 0) {
		setInterval(() => {
			newCarry += newKeys * tick / 1000;
			for (; newCarry >= 1; newCarry--) {
				socket?.write(command(`new:${fresh++}`, true));
			}
		}, tick);
	}
}

let n = 0;
setTimeout(() => setInterval(() => {
	carry += perTick;
	for (; carry >= 1; carry--) {
		send(n++ % 2 === 0);
	}
}, tick), 2000);
