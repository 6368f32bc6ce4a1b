import fs from 'node:fs/promises';
import { decodeAgentBytes, parseAgentFile, type AgentFile } from '../core/agent.js';
import { UserError } from '../core/errors.js';

/** Reads and parses an agent guidance file, turning file-system failures into one-line errors. */
export async function readAgentFile(filePath: string): Promise<AgentFile> {
  let bytes: Buffer;
  try {
    bytes = await fs.readFile(filePath);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'is a folder, not a file'
          : code === 'EACCES'
            ? 'permission denied'
            : (error as Error).message;
    throw new UserError(`cannot read agent guidance file ${filePath}: ${reason}`);
  }
  return parseAgentFile(decodeAgentBytes(bytes, filePath), filePath);
}
