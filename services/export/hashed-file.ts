/**
 * A file written through one reused 1 MB buffer and hashed as it is written: lines arrive as encoded constant parts
 * (copied) and short texts (encoded in place), so no line, and no megabyte of lines, is ever built as a string.
 */
import { createHash, type Hash } from 'node:crypto';
import * as fs from 'node:fs';
import type { LineSink } from '../../pipelines/formats/json-template';

const CHUNK = 1 << 20;

export class HashedFile implements LineSink {
  bytesWritten = 0;
  private readonly fd: number;
  private readonly hash: Hash = createHash('sha256');
  private readonly chunk = Buffer.allocUnsafe(CHUNK);
  private used = 0;

  constructor(readonly file: string) {
    this.fd = fs.openSync(file, 'w');
  }

  bytes(b: Uint8Array): void {
    if (this.used + b.length > CHUNK) {
      this.flush();
      if (b.length > CHUNK) return this.out(b);
    }
    this.chunk.set(b, this.used);
    this.used += b.length;
  }

  text(s: string): void {
    // a UTF-16 unit is at most 3 bytes of UTF-8
    if (this.used + 3 * s.length > CHUNK) {
      this.flush();
      if (3 * s.length > CHUNK) return this.out(Buffer.from(s, 'utf8'));
    }
    this.used += this.chunk.write(s, this.used, 'utf8');
  }

  private out(b: Uint8Array): void {
    fs.writeSync(this.fd, b);
    this.hash.update(b);
    this.bytesWritten += b.length;
  }

  private flush(): void {
    if (this.used === 0) return;
    this.out(this.chunk.subarray(0, this.used));
    this.used = 0;
  }

  /** Flushes, syncs and closes the file; its sha256 in hex. */
  finish(): string {
    this.flush();
    fs.fsyncSync(this.fd);
    fs.closeSync(this.fd);
    return this.hash.digest('hex');
  }

  close(): void {
    try {
      fs.closeSync(this.fd);
    } catch {
      /* already closed */
    }
  }
}
