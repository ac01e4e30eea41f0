// Reads every row of one table of an SQLite 3 database file, in pure TypeScript: enough of the file
// format (https://www.sqlite.org/fileformat2.html) to walk a table's b-tree, so a data script needs
// neither a native sqlite3 build nor the sqlite3 command. Rows whose payload spills onto overflow
// pages are refused with an error rather than read half; small tables of names never have them.

export type SqlValue = number | string | Uint8Array | null;

const PAGE_INTERIOR_TABLE = 0x05;
const PAGE_LEAF_TABLE = 0x0d;

class Pages {
  readonly size: number;
  /** The usable bytes of a page (the page size less the reserved bytes at its end). */
  readonly usable: number;

  constructor(readonly file: Uint8Array) {
    const magic = new TextDecoder().decode(file.subarray(0, 16));
    if (magic !== 'SQLite format 3\0') throw new Error('not an SQLite 3 database: its first 16 bytes are not "SQLite format 3"');
    const raw = (file[16] << 8) | file[17];
    this.size = raw === 1 ? 65536 : raw;
    this.usable = this.size - file[20];
    if (file[56] !== 0 || file[57] !== 0 || file[58] !== 0 || file[59] !== 1)
      throw new Error('SQLite database: only UTF-8 text encoding is supported');
  }

  /** Page n (1-based) and where its b-tree header starts (page 1 holds the 100-byte file header first). */
  page(n: number): { at: number; header: number } {
    const at = (n - 1) * this.size;
    if (n < 1 || at + this.size > this.file.length) throw new Error(`SQLite database: page ${n} lies outside the file`);
    return { at, header: n === 1 ? at + 100 : at };
  }
}

/** A varint at `pos`: its value (exact up to 2^53) and the position after it. */
function varint(b: Uint8Array, pos: number): [number, number] {
  let v = 0;
  for (let i = 0; i < 8; i++) {
    const byte = b[pos + i];
    v = v * 128 + (byte & 0x7f);
    if ((byte & 0x80) === 0) return [v, pos + i + 1];
  }
  return [v * 256 + b[pos + 8], pos + 9];
}

function intBE(b: Uint8Array, pos: number, n: number): number {
  let v = b[pos] & 0x80 ? -1 : 0;
  for (let i = 0; i < n; i++) v = v * 256 + b[pos + i];
  return v;
}

/** Decodes one record (header of serial types, then the values) into column values. */
function record(b: Uint8Array, start: number, end: number): SqlValue[] {
  const [headerSize, first] = varint(b, start);
  const types: number[] = [];
  for (let p = first; p < start + headerSize; ) {
    const [t, next] = varint(b, p);
    types.push(t);
    p = next;
  }
  const out: SqlValue[] = [];
  const text = new TextDecoder();
  let p = start + headerSize;
  for (const t of types) {
    if (t === 0) out.push(null);
    else if (t >= 1 && t <= 6) {
      const n = [0, 1, 2, 3, 4, 6, 8][t];
      out.push(intBE(b, p, n));
      p += n;
    } else if (t === 7) {
      out.push(new DataView(b.buffer, b.byteOffset + p, 8).getFloat64(0));
      p += 8;
    } else if (t === 8 || t === 9) out.push(t - 8);
    else if (t >= 12) {
      const n = t % 2 === 0 ? (t - 12) / 2 : (t - 13) / 2;
      const bytes = b.subarray(p, p + n);
      out.push(t % 2 === 0 ? bytes.slice() : text.decode(bytes));
      p += n;
    } else throw new Error(`SQLite record: reserved serial type ${t}`);
  }
  if (p > end) throw new Error('SQLite record: its values run past the cell');
  return out;
}

/** Calls `visit(rowid, values)` for every row of the b-tree rooted at `root`, in rowid order. */
function walk(pages: Pages, root: number, visit: (rowid: number, values: SqlValue[]) => void): void {
  const b = pages.file;
  const stack = [root];
  while (stack.length > 0) {
    const { at, header } = pages.page(stack.pop()!);
    const kind = b[header];
    const cells = (b[header + 3] << 8) | b[header + 4];
    const pointers = header + (kind === PAGE_INTERIOR_TABLE ? 12 : 8);
    if (kind === PAGE_INTERIOR_TABLE) {
      // Children pushed right to left, so they are visited left to right.
      stack.push(intBE(b, header + 8, 4) >>> 0);
      for (let i = cells - 1; i >= 0; i--) stack.push(intBE(b, at + ((b[pointers + 2 * i] << 8) | b[pointers + 2 * i + 1]), 4) >>> 0);
    } else if (kind === PAGE_LEAF_TABLE) {
      const maxLocal = pages.usable - 35;
      for (let i = 0; i < cells; i++) {
        const cell = at + ((b[pointers + 2 * i] << 8) | b[pointers + 2 * i + 1]);
        const [size, afterSize] = varint(b, cell);
        const [rowid, payload] = varint(b, afterSize);
        if (size > maxLocal) throw new Error(`SQLite table: row ${rowid} continues on overflow pages, which this reader does not follow`);
        visit(rowid, record(b, payload, payload + size));
      }
    } else throw new Error(`SQLite database: page at byte ${at} is of type ${kind}, not a table b-tree page`);
  }
}

/**
 * Calls `visit` with every row of `table` as an object keyed by column name, in rowid order. Column
 * names come from the CREATE TABLE statement; an INTEGER PRIMARY KEY column (stored as null) reads as
 * the rowid. A visitor rather than an array, since a table may hold millions of rows.
 */
export function forEachSqliteRow(file: Uint8Array, table: string, visit: (row: Record<string, SqlValue>) => void): void {
  const pages = new Pages(file);
  let root = 0;
  let sql = '';
  // sqlite_schema, on page 1: type, name, tbl_name, rootpage, sql.
  walk(pages, 1, (_rowid, [type, name, , rootpage, create]) => {
    if (type === 'table' && name === table) {
      root = Number(rootpage);
      sql = String(create);
    }
  });
  if (!root) throw new Error(`SQLite database has no table "${table}"`);
  const body = sql.slice(sql.indexOf('(') + 1, sql.lastIndexOf(')'));
  const columns = body.split(',').map((c) => c.trim().split(/\s+/));
  const names = columns.map((c) => c[0].replace(/^["`[]|["`\]]$/g, ''));
  const rowidColumn = columns.findIndex((c) => /^integer primary key/i.test(c.slice(1).join(' ')));
  walk(pages, root, (rowid, values) => {
    const row: Record<string, SqlValue> = {};
    names.forEach((n, i) => (row[n] = i === rowidColumn ? rowid : (values[i] ?? null)));
    visit(row);
  });
}
