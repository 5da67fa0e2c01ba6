// RFC 4180 CSV reading, pure and incremental: the caller feeds chunks (from a file stream, an upload
// body …) and gets complete records back, so files of any size never sit in memory twice.
// Quoted fields may hold commas, doubled quotes and line breaks; CRLF, LF and a leading BOM are accepted.

export class CsvParser {
  private field = '';
  private record: string[] = [];
  private inQuotes = false;
  // After a closing quote we must see a delimiter, a line break or another quote (an escaped quote).
  private afterQuote = false;
  private started = false;
  private pendingCR = false;
  private sawAny = false;

  constructor(private readonly delimiter = ',') {
    if (delimiter.length !== 1 || delimiter === '"' || delimiter === '\n' || delimiter === '\r') {
      throw new Error(`invalid CSV delimiter ${JSON.stringify(delimiter)}`);
    }
  }

  /** Feed the next chunk; returns the records completed by it. */
  push(chunk: string): string[][] {
    const out: string[][] = [];
    let s = chunk;
    if (!this.started && s.length > 0) {
      this.started = true;
      if (s.charCodeAt(0) === 0xfeff) s = s.slice(1);
    }
    const d = this.delimiter;
    let i = 0;
    const n = s.length;
    while (i < n) {
      const ch = s[i]!;
      if (this.pendingCR) {
        this.pendingCR = false;
        if (ch === '\n') {
          i++;
          continue;
        }
      }
      if (this.inQuotes) {
        // Copy a run of ordinary characters at once: most of a quoted field is plain text.
        const q = s.indexOf('"', i);
        if (q < 0) {
          this.field += s.slice(i);
          i = n;
          continue;
        }
        this.field += s.slice(i, q);
        this.inQuotes = false;
        this.afterQuote = true;
        i = q + 1;
        continue;
      }
      if (ch === '"') {
        if (this.afterQuote) {
          // "" inside a quoted field is one literal quote.
          this.field += '"';
          this.inQuotes = true;
          this.afterQuote = false;
        } else if (this.field.length === 0) {
          this.inQuotes = true;
        } else {
          // A quote in the middle of an unquoted field: keep it literally (lenient, like most readers).
          this.field += '"';
        }
        this.sawAny = true;
        i++;
        continue;
      }
      this.afterQuote = false;
      if (ch === d) {
        this.record.push(this.field);
        this.field = '';
        this.sawAny = true;
        i++;
      } else if (ch === '\n' || ch === '\r') {
        this.endRecord(out);
        if (ch === '\r') this.pendingCR = true;
        i++;
      } else {
        // Copy up to the next special character in one slice.
        let j = i + 1;
        while (j < n) {
          const c = s[j]!;
          if (c === d || c === '"' || c === '\n' || c === '\r') break;
          j++;
        }
        this.field += s.slice(i, j);
        this.sawAny = true;
        i = j;
      }
    }
    return out;
  }

  /** Flush the last record (a file need not end with a line break). */
  end(): string[][] {
    const out: string[][] = [];
    // An unterminated quoted field is kept as is rather than lost.
    this.inQuotes = false;
    this.endRecord(out);
    return out;
  }

  private endRecord(out: string[][]): void {
    if (this.sawAny || this.field.length > 0 || this.record.length > 0) {
      this.record.push(this.field);
      out.push(this.record);
    }
    // Blank lines are skipped, as RFC 4180 readers commonly do.
    this.record = [];
    this.field = '';
    this.afterQuote = false;
    this.sawAny = false;
  }
}

/** Parse a whole CSV text into records. */
export function parseCsv(text: string, delimiter = ','): string[][] {
  const p = new CsvParser(delimiter);
  return [...p.push(text), ...p.end()];
}

/** Records → objects keyed by the header row (first record). Missing cells become ''. */
export function recordsToObjects(records: readonly string[][]): Record<string, string>[] {
  const [header, ...rows] = records;
  if (!header) return [];
  const names = header.map((h) => h.trim());
  return rows.map((r) => {
    const o: Record<string, string> = {};
    names.forEach((name, i) => {
      o[name] = r[i] ?? '';
    });
    return o;
  });
}

/** Quote a field for writing when it needs it. */
export function csvField(value: string, delimiter = ','): string {
  return /["\r\n]/.test(value) || value.includes(delimiter) ? `"${value.replace(/"/g, '""')}"` : value;
}
