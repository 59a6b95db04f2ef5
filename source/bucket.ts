/**
A bucket: the store's summary of consecutive samples. Its own module so that the quarter
arithmetic (analysis/quarters.ts) need not import the store (series.ts) that uses it.
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
