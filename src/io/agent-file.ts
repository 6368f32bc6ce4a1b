import { decodeAgentBytes, parseAgentFile, type AgentFile } from '../core/agent.js';
import { readRegularFile } from './files.js';

/**
 * The largest agent guidance file read: 8 MiB. Real ones are a few kilobytes; the limit keeps a
 * wrong path (a log, a disk image) from filling memory, while a 5 MB file is still read whole.
 */
export const AGENT_FILE_MAX_BYTES = 8 * 1024 * 1024;

/**
 * The bytes of a guidance file: only a regular file of at most AGENT_FILE_MAX_BYTES is read; a
 * FIFO, a device (/dev/zero), a socket or a folder is refused at once (see readRegularFile).
 */
export function readAgentBytes(filePath: string): Promise<Buffer> {
  return readRegularFile(filePath, 'agent guidance file', AGENT_FILE_MAX_BYTES);
}

/** Reads and parses an agent guidance file, turning file-system failures into one-line errors. */
export async function readAgentFile(filePath: string): Promise<AgentFile> {
  const bytes = await readAgentBytes(filePath);
  return parseAgentFile(decodeAgentBytes(bytes, filePath), filePath);
}
