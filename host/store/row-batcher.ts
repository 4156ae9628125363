// Rows of one table gathered in memory and stored many to an INSERT: a statement call costs about as
// much as storing a small row, so one call per ROWS_PER_INSERT rows roughly halves the cost of a
// reading. Rows wait as flat pages of values (not as the records they came from), which keeps a
// growing batch cheap for the garbage collector; SQLite is touched only when the batch is stored,
// so the write lock is held for milliseconds and other writers of the file get their turn.
import type { Statement } from "better-sqlite3";
import type { Db } from "./open.ts";

export type Value = number | bigint | string;

/** Rows per statement: large enough to spread the call's cost, small enough to keep the SQL short. */
export const ROWS_PER_INSERT = 64;

export class RowBatcher {
  /** The page being filled: its next row's values go from `nextOffset` on. */
  args: Value[];
  private count = 0;
  private full: Value[][] = [];
  /** Statements for 1, 2, 4 … ROWS_PER_INSERT rows, prepared when first needed. */
  private readonly statements: (Statement | undefined)[] = [];

  constructor(
    private readonly db: Db,
    /** `INSERT … INTO table (columns) VALUES`, without the value lists. */
    private readonly insertInto: string,
    readonly width: number,
  ) {
    this.args = this.page();
  }

  get nextOffset(): number {
    return this.count * this.width;
  }

  /** Rows waiting to be stored. */
  get pending(): number {
    return this.full.length * ROWS_PER_INSERT + this.count;
  }

  /** The row written at `nextOffset` is complete. */
  commitRow(): void {
    this.count++;
    if (this.count < ROWS_PER_INSERT) return;
    this.full.push(this.args);
    this.args = this.page();
    this.count = 0;
  }

  /**
   * Stores the rows waiting and returns how many rows were new (INSERT OR IGNORE skips the others).
   * Call within a transaction. The rows are forgotten either way: on failure the transaction rolls back.
   */
  store(): number {
    const full = this.full;
    const count = this.count;
    this.discard();
    let changes = 0;
    for (const page of full) changes += this.statementFor(ROWS_PER_INSERT).run(page).changes;
    // The last page in power-of-two groups, so few statements are ever prepared.
    let from = 0;
    for (let size = ROWS_PER_INSERT >> 1; size >= 1; size >>= 1) {
      if ((count & size) === 0) continue;
      const args = this.args.slice(from * this.width, (from + size) * this.width);
      changes += this.statementFor(size).run(args).changes;
      from += size;
    }
    return changes;
  }

  /** Forgets the rows waiting. */
  discard(): void {
    this.full = [];
    this.count = 0;
  }

  private page(): Value[] {
    return new Array<Value>(ROWS_PER_INSERT * this.width);
  }

  private statementFor(rows: number): Statement {
    const index = Math.log2(rows);
    let statement = this.statements[index];
    if (!statement) {
      const row = `(${new Array<string>(this.width).fill("?").join(", ")})`;
      statement = this.db.prepare(`${this.insertInto} ${new Array<string>(rows).fill(row).join(", ")}`);
      this.statements[index] = statement;
    }
    return statement;
  }
}
