/**
Draws the live screen's lines on the terminal, rewriting only the rows that changed.

Why not through Ink's output: Ink turns every character of every frame into a styled-character
object (tokenize → styledChars → string) before it diffs whole frames; at 120×40 that was 5 ms of
CPU and most of memmon's garbage per frame (a CPU profile of a live run: 141 of 376 ms busy in
Ink's Output.get, 94 ms in GC). The dashboard is already exact-width lines, so it is written here
directly: each row is addressed absolutely (no drift, whatever was written before), unchanged rows
cost nothing, and a frame with nothing new writes nothing. Ink still owns the keys and the
terminal's modes; it renders an empty tree.

  first frame   newlines to push the shell's lines into scrollback, then every row
  next frames   ESC[row;1H + line for the rows that differ (each line is the full width)
  size change   clear the screen, every row (also on Ctrl+L)
  every 60th    every row again, so a screen garbled from outside mends itself
  finish        the cursor goes below the frame
*/

/** Where the frames go: a terminal stream. */
export type FrameStream = {
	write(text: string): unknown;
};

/** The writer of one live screen. */
export class FrameWriter {
	readonly #stream: FrameStream;
	readonly #repaintEvery: number;
	#previous: string[] | undefined;
	#width = 0;
	#clear = false;
	#sinceRepaint = 0;

	/**
	`repaintEvery`: every so many frames all rows are written again, so a screen garbled by
	something else writing to the terminal mends itself within a minute at 1 s.
	*/
	constructor(stream: FrameStream, {repaintEvery = 60}: {repaintEvery?: number} = {}) {
		this.#stream = stream;
		this.#repaintEvery = repaintEvery;
	}

	/** Clear the screen and draw every row with the next frame (Ctrl+L). */
	invalidate(): void {
		this.#clear = true;
	}

	/**
	Draw a frame of `lines`, each exactly `width` columns: a row is overwritten whole (no erase
	sequence, which in a terminal's last column would take the last character with it).
	*/
	draw(lines: readonly string[], width: number): void {
		let out = '';
		const previous = this.#previous;
		if (previous === undefined) {
			// Scroll what the terminal shows into its scrollback, then draw from the top.
			out += `${'\n'.repeat(lines.length)}\u001B[H`;
		} else if (previous.length !== lines.length || width !== this.#width || this.#clear) {
			out += '\u001B[H\u001B[2J';
		}

		this.#sinceRepaint++;
		const repaint = this.#sinceRepaint >= this.#repaintEvery;
		const full = previous === undefined || previous.length !== lines.length || width !== this.#width || this.#clear || repaint;
		if (full) {
			this.#sinceRepaint = 0;
			this.#clear = false;
		}

		for (let row = 0; row < lines.length; row++) {
			const line = lines[row]!;
			if (full || line !== previous![row]) {
				out += `\u001B[${row + 1};1H${line}`;
			}
		}

		this.#previous = [...lines];
		this.#width = width;
		if (out !== '') {
			this.#stream.write(out);
		}
	}

	/** Put the cursor on the line below the frame, for whatever is printed after it. */
	finish(): void {
		if (this.#previous !== undefined) {
			this.#stream.write(`\u001B[${this.#previous.length + 1};1H`);
			this.#previous = undefined;
		}
	}
}
