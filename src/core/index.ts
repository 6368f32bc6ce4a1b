/** The pure core, as one module: agent file -> practices -> spec -> rendered tree. */
export { parseAgentFile, decodeAgentBytes, type AgentFile } from './agent.js';
export { detectPractices, findMentions, type PracticeSet } from './practices.js';
export { buildSpec, type ProjectSpec, type Answers } from './spec.js';
export { renderProject, type FileTree, type TemplateSet } from './render.js';
export { OPTIONS } from './options.js';
export { newProjectTree } from './state.js';
export { parseFields } from './resources.js';
export { initialMigration } from './spec.js';
export {
  bodyHash,
  bodyState,
  findFunction,
  functionForPrompt,
  isStub,
  isStubBody,
  spliceBody,
  type BodyState,
} from './endpoint-body.js';
export { endpointFiles } from './endpoint-context.js';
export type { EndpointSpec, EndpointFill } from './endpoints.js';
