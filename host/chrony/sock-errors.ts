// What a failed connect or send to chronyd's SOCK socket means, in one line with the fix.
import { constants } from "node:os";

const E = constants.errno;

/** unix-dgram reports the negative errno; node reports a name. Either way: one line for the user. */
export function describeSockError(path: string, code: number | string): string {
  const errno = typeof code === "number" ? Math.abs(code) : (E as Record<string, number>)[code];
  switch (errno) {
    case E.ENOENT:
      return `no socket at ${path}: start chronyd with "refclock SOCK ${path}" in chrony.conf first (chronyd creates the socket)`;
    case E.ECONNREFUSED:
      return `nothing listens on ${path} (a socket left behind by a chronyd that stopped?): start chronyd with "refclock SOCK ${path}"`;
    case E.EACCES:
    case E.EPERM:
      return `no permission to write to ${path}: run timenode as the user chronyd runs as, or give it write access to the socket and its folder`;
    case E.ENOTSOCK:
      return `${path} is not a socket: give the path named in chrony.conf's "refclock SOCK" line`;
    case E.EPROTOTYPE:
      return `${path} is not a datagram socket: it belongs to something other than chronyd's SOCK refclock`;
    case E.ENOTDIR:
      return `a folder on the way to ${path} is not a folder: check the path`;
    case E.ENAMETOOLONG:
      return `${path} is too long for a Unix socket (at most 107 bytes): use a shorter path`;
    case E.EAGAIN:
    case E.ENOBUFS:
      return `chronyd is not reading ${path} fast enough: samples are being dropped`;
    default:
      return `cannot send to ${path}: error ${String(code)}`;
  }
}
