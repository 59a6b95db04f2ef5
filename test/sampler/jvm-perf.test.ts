import {describe, expect, test} from 'vitest';
import {jvmHeapOf, parsePerfData} from '../../source/sampler/jvm-perf.js';
import {MIB} from '../../source/units.js';

/** A hsperfdata file as HotSpot lays it out (perfMemory.hpp, 2.0): a prologue, then one entry per counter. */
function perfFile(counters: Record<string, number | string>, little = true): Uint8Array {
	const entries: Buffer[] = [];
	for (const [name, value] of Object.entries(counters)) {
		const nameBytes = Buffer.from(`${name}\0`, 'latin1');
		const data = typeof value === 'number' ? Buffer.alloc(8) : Buffer.from(`${value}\0`, 'latin1');
		if (typeof value === 'number' && little) {
			data.writeBigInt64LE(BigInt(value));
		} else if (typeof value === 'number') {
			data.writeBigInt64BE(BigInt(value));
		}

		const dataAt = 20 + nameBytes.length + ((8 - ((20 + nameBytes.length) % 8)) % 8);
		const entry = Buffer.alloc(dataAt + data.length + ((8 - (data.length % 8)) % 8));
		const int = (value: number, at: number): number => little ? entry.writeInt32LE(value, at) : entry.writeInt32BE(value, at);
		int(entry.length, 0);
		int(20, 4);
		int(typeof value === 'number' ? 0 : data.length, 8);
		entry.writeUInt8((typeof value === 'number' ? 'J' : 'B').codePointAt(0)!, 12);
		int(dataAt, 16);
		nameBytes.copy(entry, 20);
		data.copy(entry, dataAt);
		entries.push(entry);
	}

	const prologue = Buffer.alloc(32);
	prologue.writeUInt32BE(0xCA_FE_C0_C0, 0);
	prologue.writeUInt8(little ? 1 : 0, 4);
	prologue.writeUInt8(2, 5);
	for (const [value, at] of [[32, 24], [entries.length, 28]] as const) {
		if (little) {
			prologue.writeInt32LE(value, at);
		} else {
			prologue.writeInt32BE(value, at);
		}
	}
	return Buffer.concat([prologue, ...entries]);
}

/** A G1 heap: 388 MiB committed of a 5.89 GiB maximum, as a JVM without -Xmx on a 24 GiB machine has it. */
const G1 = {
	'sun.gc.policy.name': 'GarbageFirst',
	'sun.gc.policy.generations': 2,
	'sun.gc.collector.0.invocations': 40,
	'sun.gc.collector.1.invocations': 0,
	'sun.gc.collector.2.invocations': 3,
	'sun.gc.generation.0.capacity': 134_217_752,
	'sun.gc.generation.0.maxCapacity': 6_320_816_152,
	'sun.gc.generation.0.spaces': 3,
	'sun.gc.generation.0.space.0.name': 'eden',
	'sun.gc.generation.0.space.0.used': 46 * MIB,
	'sun.gc.generation.0.space.2.name': 's1',
	'sun.gc.generation.0.space.1.used': 0,
	'sun.gc.generation.0.space.2.used': 5 * MIB,
	'sun.gc.generation.1.capacity': 272_629_768,
	'sun.gc.generation.1.maxCapacity': 6_320_816_136,
	'sun.gc.generation.1.spaces': 1,
	'sun.gc.generation.1.space.0.used': 60 * MIB,
};

describe('parsePerfData', () => {
	test('reads longs and strings by name, in either byte order', () => {
		for (const little of [true, false]) {
			const counters = parsePerfData(perfFile({'sun.gc.policy.name': 'GarbageFirst', 'sun.gc.collector.0.invocations': 12, 'sun.gc.generation.1.maxCapacity': 6_320_816_136}, little));
			expect(counters?.get('sun.gc.policy.name')).toBe('GarbageFirst');
			expect(counters?.get('sun.gc.collector.0.invocations')).toBe(12);
			expect(counters?.get('sun.gc.generation.1.maxCapacity')).toBe(6_320_816_136);
		}
	});

	test('is not fooled by a file that is not one, or cut short', () => {
		expect(parsePerfData(new Uint8Array(8))).toBeUndefined();
		const file = perfFile(G1);
		expect(parsePerfData(Buffer.concat([Buffer.from([0, 0, 0, 0]), file.subarray(4)]))).toBeUndefined();
		// Cut in the middle of its entries: the ones before the cut, none after.
		const cut = parsePerfData(file.subarray(0, 200));
		expect(cut?.get('sun.gc.policy.name')).toBe('GarbageFirst');
		expect(cut?.has('sun.gc.generation.1.space.0.used')).toBe(false);
	});
});

describe('jvmHeapOf', () => {
	test('G1: used over every space but eden, committed over the generations, the maximum the whole heap once', () => {
		expect(jvmHeapOf(parsePerfData(perfFile(G1))!)).toEqual({
			used: 65 * MIB, committed: 134_217_752 + 272_629_768, max: 6_320_816_152, youngGcs: 40, oldGcs: 3, collector: 'GarbageFirst',
		});
	});

	test('a collector with fixed generations (ParallelGC): the maximum is their sum', () => {
		const parallel = {...G1, 'sun.gc.policy.name': 'ParScav:MSC', 'sun.gc.generation.0.maxCapacity': 2 * 1024 * MIB, 'sun.gc.generation.1.maxCapacity': 4 * 1024 * MIB};
		expect(jvmHeapOf(parsePerfData(perfFile(parallel))!)?.max).toBe(6 * 1024 * MIB);
	});

	test('no heap before the JVM has published one', () => {
		expect(jvmHeapOf(parsePerfData(perfFile({'sun.rt.javaCommand': 'Main'}))!)).toBeUndefined();
	});
});
