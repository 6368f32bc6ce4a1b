import { constants, type Stats } from 'node:fs';
import fs, { type FileHandle } from 'node:fs/promises';
import { decodeAgentBytes, parseAgentFile, type AgentFile } from '../core/agent.js';
import { UserError } from '../core/errors.js';

/**
 * The largest agent guidance file read: 8 MiB. Real ones are a few kilobytes; the limit keeps a
 * wrong path (a log, a disk image) from filling memory, while a 5 MB file is still read whole.
 */
export const AGENT_FILE_MAX_BYTES = 8 * 1024 * 1024;

const CHUNK = 64 * 1024;

/** What a path that is not a regular file is, for the message. */
function kind(stat: Stats): string {
  if (stat.isDirectory()) return 'a folder';
  if (stat.isFIFO()) return 'a named pipe (FIFO)';
  if (stat.isCharacterDevice()) return 'a character device';
  if (stat.isBlockDevice()) return 'a block device';
  if (stat.isSocket()) return 'a socket';
  return 'not a regular file';
}

const megabytes = (bytes: number): string => `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;

async function openError(filePath: string, error: NodeJS.ErrnoException): Promise<string> {
  switch (error.code) {
    case 'ENOENT': {
      const link = await fs.lstat(filePath).catch(() => null);
      if (link?.isSymbolicLink()) {
        return `is a symbolic link to ${await fs.readlink(filePath)}, which does not exist`;
      }
      return 'no such file';
    }
    case 'EISDIR':
      return 'is a folder, not a file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ENOTDIR':
      return 'a part of the path is not a folder';
    case 'ELOOP':
      return 'too many levels of symbolic links';
    case 'ENAMETOOLONG':
      return 'the path is too long';
    default:
      return error.message;
  }
}

/**
 * The file's bytes, read only when it is a regular file of at most AGENT_FILE_MAX_BYTES: a FIFO,
 * a device (/dev/zero), a socket or a folder is refused at once, without reading. It is opened
 * without blocking (a FIFO with no writer would wait forever) and checked on the open handle, and
 * never more than the limit and one byte is read (a file may grow, or report size 0 as /proc does).
 */
export async function readAgentBytes(filePath: string): Promise<Buffer> {
  const fail = (reason: string): UserError =>
    new UserError(`cannot read agent guidance file ${filePath}: ${reason}`);
  let handle: FileHandle;
  try {
    handle = await fs.open(filePath, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (error) {
    throw fail(await openError(filePath, error as NodeJS.ErrnoException));
  }
  try {
    const stat = await handle.stat();
    if (stat.isDirectory()) throw fail('is a folder, not a file');
    if (!stat.isFile()) throw fail(`is ${kind(stat)}, not a file`);
    const tooLarge = (size?: string): UserError =>
      fail(
        `is ${size ? `${size}, ` : ''}larger than the limit of ${megabytes(AGENT_FILE_MAX_BYTES)}`,
      );
    if (stat.size > AGENT_FILE_MAX_BYTES) throw tooLarge(megabytes(stat.size));
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.alloc(Math.min(CHUNK, AGENT_FILE_MAX_BYTES + 1 - total));
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
      if (bytesRead === 0) break;
      chunks.push(chunk.subarray(0, bytesRead));
      total += bytesRead;
      if (total > AGENT_FILE_MAX_BYTES) throw tooLarge();
    }
    return Buffer.concat(chunks, total);
  } catch (error) {
    if (error instanceof UserError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw fail(code === 'EISDIR' ? 'is a folder, not a file' : (error as Error).message);
  } finally {
    await handle.close();
  }
}

/** Reads and parses an agent guidance file, turning file-system failures into one-line errors. */
export async function readAgentFile(filePath: string): Promise<AgentFile> {
  const bytes = await readAgentBytes(filePath);
  return parseAgentFile(decodeAgentBytes(bytes, filePath), filePath);
}
