/** The questions the CLI may ask, as an interface so flows are tested without a terminal. */
export interface Choice {
  value: string;
  name: string;
}

export interface Prompter {
  input(question: {
    message: string;
    default?: string;
    validate?: (value: string) => true | string;
  }): Promise<string>;
  select(question: { message: string; choices: Choice[]; default?: string }): Promise<string>;
}

/** The real terminal prompter. Inquirer is loaded only when a question is actually asked. */
export function inquirerPrompter(): Prompter {
  return {
    async input(question) {
      const { input } = await import('@inquirer/prompts');
      return input(question);
    },
    async select(question) {
      const { select } = await import('@inquirer/prompts');
      return select(question);
    },
  };
}

/** Inquirer rejects with ExitPromptError when the user presses Ctrl-C. */
export function isPromptCancel(error: unknown): boolean {
  return error instanceof Error && error.name === 'ExitPromptError';
}
