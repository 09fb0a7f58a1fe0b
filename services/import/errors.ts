/** The input itself is unusable (missing file, wrong kind of path, a header that does not match its format). */
export class ImportInputError extends Error {}
