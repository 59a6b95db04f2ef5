/**
A bucket: the store's summary of consecutive samples, how a sample joins one and how two merge.
Its own module so that the quarter arithmetic (analysis/quarters.ts) need not import the store
(series.ts) that uses it.
*/
export type Bucket = {
	/** Index in units of the current width: covers [index·w, (index+1)·w). */
	index: number;
	tFirst: number;
	tLast: number;
	first: number;
	last: number;
	n: number;
	min: number;
	max: number;
	sum: number;
	sumSq: number;
	sumT: number;
	/** Sums and counts of the samples that had PSS or swap. */
	pssSum: number;
	pssN: number;
	swapSum: number;
	swapN: number;
	/** Sums of the RSS by kind, and how many samples had it. */
	anonSum: number;
	fileSum: number;
	shmemSum: number;
	kindN: number;
};

/** What a bucket sums of a sample: its time and RSS, and the parts read with it. */
type Sampled = {
	readonly t: number;
	readonly rss: number;
	readonly pss?: number | undefined;
	readonly swap?: number | undefined;
	readonly anon?: number | undefined;
	readonly file?: number | undefined;
	readonly shmem?: number | undefined;
};

/** An empty bucket at `index` that starts at time `t` with value `y`. */
export function newBucket(index: number, t: number, y: number): Bucket {
	return {index, tFirst: t, tLast: t, first: y, last: y, n: 0, min: y, max: y, sum: 0, sumSq: 0, sumT: 0, pssSum: 0, pssN: 0, swapSum: 0, swapN: 0, anonSum: 0, fileSum: 0, shmemSum: 0, kindN: 0};
}

/** Add a sample to the bucket it falls in. */
export function addToBucket(bucket: Bucket, point: Sampled): void {
	const {t, rss: y} = point;
	bucket.tLast = t;
	bucket.last = y;
	bucket.n++;
	bucket.sum += y;
	bucket.sumSq += y * y;
	bucket.sumT += t;
	if (point.pss !== undefined) {
		bucket.pssSum += point.pss;
		bucket.pssN++;
	}

	if (point.swap !== undefined) {
		bucket.swapSum += point.swap;
		bucket.swapN++;
	}

	if (point.anon !== undefined && point.file !== undefined && point.shmem !== undefined) {
		bucket.anonSum += point.anon;
		bucket.fileSum += point.file;
		bucket.shmemSum += point.shmem;
		bucket.kindN++;
	}

	if (y < bucket.min) {
		bucket.min = y;
	}

	if (y > bucket.max) {
		bucket.max = y;
	}
}

/** Merge `later` (the next bucket in time) into `into`. */
export function mergeInto(into: Bucket, later: Bucket): void {
	into.tLast = later.tLast;
	into.last = later.last;
	into.n += later.n;
	into.sum += later.sum;
	into.sumSq += later.sumSq;
	into.sumT += later.sumT;
	into.pssSum += later.pssSum;
	into.pssN += later.pssN;
	into.swapSum += later.swapSum;
	into.swapN += later.swapN;
	into.anonSum += later.anonSum;
	into.fileSum += later.fileSum;
	into.shmemSum += later.shmemSum;
	into.kindN += later.kindN;
	into.min = Math.min(into.min, later.min);
	into.max = Math.max(into.max, later.max);
}
