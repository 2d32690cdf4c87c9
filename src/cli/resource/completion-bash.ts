import type { Command, Option } from 'commander';
import { resourceActionWithoutLogin } from './login-action.js';

const words = (xs: readonly string[]): string => xs.join(' ');
const flagsOf = (c: Command): string[] => [...c.options.flatMap((o: Option) => [o.long, o.short].filter((x): x is string => !!x)), '--help'];

/**
 * A bash completion script made from the commands as registered: command names, then each command's
 * flags (and sub-commands), and the values of flags that have a fixed set of choices.
 */
export function bashCompletion(program: Command): string {
  const cmds = program.commands;
  const cases: string[] = [];
  const subCases: string[] = [];
  const choices: string[] = [];
  for (const c of cmds) {
    const subs = c.commands.map((s) => s.name());
    cases.push(`    ${c.name()}) opts="${words([...subs, ...flagsOf(c)])}" ;;`);
    for (const s of c.commands) subCases.push(`    ${c.name()}/${s.name()}) opts="${words([...s.commands.map((x) => x.name()), ...flagsOf(s)])}"; sub=1 ;;`);
    for (const o of c.options as (Option & { argChoices?: string[] })[]) {
      if (o.argChoices && o.long) choices.push(`    ${c.name()}:${o.long}) COMPREPLY=($(compgen -W "${words(o.argChoices)}" -- "$cur")); return 0 ;;`);
    }
  }
  return `# bash completion for causeway; load it with: source <(causeway completion bash)
_causeway_completion() {
  local cur prev cmd opts sub
  cur="\${COMP_WORDS[COMP_CWORD]}"
  prev="\${COMP_WORDS[COMP_CWORD-1]}"
  COMPREPLY=()
  if [ "$COMP_CWORD" -le 1 ]; then
    COMPREPLY=($(compgen -W "${words(cmds.map((c) => c.name()))} help" -- "$cur"))
    return 0
  fi
  cmd="\${COMP_WORDS[1]}"
  case "$cmd:$prev" in
${choices.join('\n')}
  esac
  opts=""
  sub=""
  case "$cmd" in
${cases.join('\n')}
  esac
  if [ "$COMP_CWORD" -ge 3 ]; then
    case "$cmd/\${COMP_WORDS[2]}" in
${subCases.join('\n')}
    esac
  fi
  if [[ "$cur" == -* ]] || [ "$COMP_CWORD" -eq 2 ] || { [ "$COMP_CWORD" -eq 3 ] && [ -n "$sub" ]; }; then
    COMPREPLY=($(compgen -W "$opts" -- "$cur"))
  fi
  return 0
}
complete -o default -F _causeway_completion causeway
`;
}

/** `causeway completion bash`. */
export function completionCommand(program: Command): void {
  program
    .command('completion')
    .description('print a shell completion script: source <(causeway completion bash)')
    .argument('<shell>', 'the shell (bash)')
    .action(
      resourceActionWithoutLogin(async (_opts, cmd) => {
        const shell = cmd.args[0];
        if (shell !== 'bash') {
          process.stderr.write(`causeway: completion for '${shell}' is not available; only bash\n`);
          process.exit(2);
        }
        process.stdout.write(bashCompletion(program));
      }),
    );
}
