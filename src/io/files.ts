import { constants, type Stats } from 'node:fs';
import fs, { type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { UserError } from '../core/errors.js';

/** The longest file or folder name, in bytes of UTF-8, that Linux, macOS and Windows all take. */
export const NAME_MAX = 255;
/** The longest path Linux takes, in bytes, with its terminating zero. */
export const PATH_MAX = 4096;

/** A text file's content, or null when there is no file there; any other failure is thrown. */
export async function readTextIfExists(file: string): Promise<string | null> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch (error) {
    if (isFsError(error) && error.code === 'ENOENT') return null;
    throw error;
  }
}

/** Files that hold secrets (`.env` holds SECRET_KEY): readable and writable by their owner only. */
const PRIVATE_FILE = /(?:^|\/)\.env$/;

/**
 * The mode a new file of the project is created with: 0600 for a secret, else 0666; both then
 * lose what the process umask takes away, as for any file a program creates.
 */
export function newFileMode(file: string): number {
  return PRIVATE_FILE.test(file) ? 0o600 : 0o666;
}

/** An error from the file system (it has a code such as ENOENT, and the call that failed). */
export function isFsError(error: unknown): error is NodeJS.ErrnoException {
  // Not `instanceof Error`: errors made in another realm (a vm context, as under jest) fail it.
  return (
    typeof error === 'object' &&
    error !== null &&
    typeof (error as NodeJS.ErrnoException).message === 'string' &&
    typeof (error as NodeJS.ErrnoException).code === 'string' &&
    typeof (error as NodeJS.ErrnoException).syscall === 'string'
  );
}

const REASONS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file or folder',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  ENAMETOOLONG: 'a name in the path is too long',
  ENOTDIR: 'a part of the path is not a folder',
  EISDIR: 'is a folder, not a file',
  ELOOP: 'too many levels of symbolic links',
  EEXIST: 'already exists',
  ENOTEMPTY: 'a folder is not empty',
  EMFILE: 'too many open files',
  EIO: 'input/output error',
};

/** What went wrong, in a few words for a person: `permission denied`. */
export function fsReason(error: NodeJS.ErrnoException): string {
  return REASONS[error.code ?? ''] ?? error.message.split('\n')[0] ?? String(error.code);
}

/**
 * A file-system error as one line: `cannot open /x/y: permission denied`. Used where no more
 * precise message was given, so that no stack trace reaches the user.
 */
export function fsUserError(error: NodeJS.ErrnoException, exitCode = 1): UserError {
  const { dest } = error as { dest?: string };
  const where = [error.path, dest].filter(Boolean).join(' -> ');
  return new UserError(
    `cannot ${error.syscall ?? 'access'}${where ? ` ${where}` : ''}: ${fsReason(error)}`,
    exitCode,
  );
}

/**
 * Refuses a path the file system would refuse to create: a name longer than NAME_MAX bytes
 * (multi-byte characters count for their bytes) or a whole path of PATH_MAX bytes or more.
 * `what` names it in the message.
 */
export function checkPathLength(absolute: string, what: string): void {
  for (const name of absolute.split(path.sep)) {
    const bytes = Buffer.byteLength(name);
    if (bytes > NAME_MAX) {
      const shown = name.length > 40 ? `${name.slice(0, 40)}...` : name;
      throw new UserError(
        `${what}: the name "${shown}" is ${bytes} bytes long; file and folder names are limited to ${NAME_MAX} bytes`,
      );
    }
  }
  const bytes = Buffer.byteLength(absolute);
  if (bytes >= PATH_MAX) {
    throw new UserError(`${what}: the path is ${bytes} bytes long; the limit is ${PATH_MAX - 1}`);
  }
}

/** `name`, cut at a character boundary so that it takes at most `bytes` bytes of UTF-8. */
export function clipName(name: string, bytes: number): string {
  let clipped = name;
  while (Buffer.byteLength(clipped) > bytes) clipped = [...clipped].slice(0, -1).join('');
  return clipped;
}

/** What a path that is not a regular file is, for messages. */
export function kindOf(stat: Stats): string {
  if (stat.isDirectory()) return 'a folder';
  if (stat.isFIFO()) return 'a named pipe (FIFO)';
  if (stat.isCharacterDevice()) return 'a character device';
  if (stat.isBlockDevice()) return 'a block device';
  if (stat.isSocket()) return 'a socket';
  if (stat.isSymbolicLink()) return 'a symbolic link';
  return 'not a regular file';
}

const mebibytes = (bytes: number): string => `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;

async function openReason(file: string, error: NodeJS.ErrnoException): Promise<string> {
  if (error.code === 'ENOENT') {
    const link = await fs.lstat(file).catch(() => null);
    if (link?.isSymbolicLink()) {
      return `is a symbolic link to ${await fs.readlink(file)}, which does not exist`;
    }
    return 'no such file';
  }
  if (error.code === 'ENAMETOOLONG') return 'the path is too long';
  return fsReason(error);
}

const CHUNK = 64 * 1024;

/**
 * The bytes of `file`, read only when it is a regular file (or a link to one) of at most
 * `maxBytes`; anything else is a one-line UserError `cannot read <what> <file>: <reason>`. A FIFO,
 * a device (/dev/zero), a socket or a folder is refused at once: the file is opened without
 * blocking (a FIFO with no writer would wait forever) and checked on the open handle. Never more
 * than `maxBytes` and one byte is read: a file may grow, or report a size of 0 as /proc does.
 */
export async function readRegularFile(
  file: string,
  what: string,
  maxBytes: number,
): Promise<Buffer> {
  const fail = (reason: string): UserError =>
    new UserError(`cannot read ${what} ${file}: ${reason}`);
  let handle: FileHandle;
  try {
    handle = await fs.open(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (error) {
    throw fail(isFsError(error) ? await openReason(file, error) : String(error));
  }
  try {
    const stat = await handle.stat();
    if (stat.isDirectory()) throw fail('is a folder, not a file');
    if (!stat.isFile()) throw fail(`is ${kindOf(stat)}, not a file`);
    const tooLarge = (size?: string): UserError =>
      fail(`is ${size ? `${size}, ` : ''}larger than the limit of ${mebibytes(maxBytes)}`);
    if (stat.size > maxBytes) throw tooLarge(mebibytes(stat.size));
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.alloc(Math.min(CHUNK, maxBytes + 1 - total));
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
      if (bytesRead === 0) break;
      chunks.push(chunk.subarray(0, bytesRead));
      total += bytesRead;
      if (total > maxBytes) throw tooLarge();
    }
    return Buffer.concat(chunks, total);
  } catch (error) {
    throw error instanceof UserError
      ? error
      : fail(isFsError(error) ? fsReason(error) : String(error));
  } finally {
    await handle.close();
  }
}

/** `bytes` as UTF-8 text, or a one-line UserError naming `file`. */
export function decodeUtf8(bytes: Uint8Array, file: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new UserError(`${file}: is not UTF-8 text`);
  }
}
