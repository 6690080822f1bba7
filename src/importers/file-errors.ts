import { InvalidInputError } from "../errors.ts";

/** Explanation of each file-system error code for the person who named the file. */
const PROBLEMS: Readonly<Record<string, string>> = {
  ENOENT: "was not found",
  ENOTDIR: "was not found: a part of its path is a file, not a directory",
  EACCES: "cannot be read: permission denied",
  EPERM: "cannot be read: permission denied",
  ELOOP: "cannot be opened: its path has too many symbolic links",
  ENAMETOOLONG: "cannot be opened: its path is too long",
  EISDIR: "is a directory",
};

/**
 * Turns a file-system error on the import file into an `InvalidInputError` when it is a
 * problem with the path the caller gave, so the job fails for good instead of being retried.
 * Other errors (EIO, EMFILE) are returned unchanged.
 */
export function fileAccessError(file: string, error: unknown): unknown {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  const problem = code ? PROBLEMS[code] : undefined;
  if (!problem) return error;
  return new InvalidInputError(
    "path",
    `Import file ${file} ${problem}; check the path and its permissions on the worker's disk.`,
  );
}
