/** The questions the CLI may ask, as an interface so flows are tested without a terminal. */
export interface Choice {
  value: string;
  name: string;
  /** Shown but not selectable, with the reason. */
  disabled?: string;
}

export interface Prompter {
  input(question: {
    message: string;
    default?: string;
    validate?: (value: string) => true | string;
  }): Promise<string>;
  select(question: { message: string; choices: Choice[]; default?: string }): Promise<string>;
  confirm(question: { message: string; default: boolean }): Promise<boolean>;
  /** Several values; `checked` are preselected. */
  checkbox(question: { message: string; choices: Choice[]; checked: string[] }): Promise<string[]>;
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
    async confirm(question) {
      const { confirm } = await import('@inquirer/prompts');
      return confirm(question);
    },
    async checkbox(question) {
      const { checkbox } = await import('@inquirer/prompts');
      return checkbox({
        message: question.message,
        choices: question.choices.map((c) => ({
          ...c,
          checked: question.checked.includes(c.value),
        })),
        required: true,
      });
    },
  };
}

/** Inquirer rejects with ExitPromptError when the user presses Ctrl-C. */
export function isPromptCancel(error: unknown): boolean {
  return error instanceof Error && error.name === 'ExitPromptError';
}
