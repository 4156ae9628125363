// Offsets to 1-based line/column, counting line breaks as acorn does.

export interface LineColumn {
  line: number;
  column: number;
}

export class LineIndex {
  private readonly lineStarts: number[] = [0];

  constructor(code: string) {
    for (let i = 0; i < code.length; i++) {
      const c = code.charCodeAt(i);
      if (c === 0x0a || c === 0x2028 || c === 0x2029) {
        this.lineStarts.push(i + 1);
      } else if (c === 0x0d) {
        if (code.charCodeAt(i + 1) === 0x0a) i++;
        this.lineStarts.push(i + 1);
      }
    }
  }

  /** Line and column (both 1-based) of a UTF-16 offset. */
  positionOf(offset: number): LineColumn {
    let low = 0;
    let high = this.lineStarts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (this.lineStarts[middle]! <= offset) low = middle;
      else high = middle - 1;
    }
    return { line: low + 1, column: offset - this.lineStarts[low]! + 1 };
  }
}
