// Why a file could not be read or written, in words a user can act on.
export function describeFsError(error: unknown, missing = "no such file"): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === "ENOENT") return missing;
  if (code === "EISDIR") return "it is a directory";
  if (code === "EACCES" || code === "EPERM") return "permission denied";
  return error instanceof Error ? error.message : String(error);
}
