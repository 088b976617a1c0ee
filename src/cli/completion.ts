// `amnesia completion bash|zsh|fish`: a completion script made from the option table, so it never lags
// behind the options. Commands, each command's options (long and short), the choices of a choice option,
// and the Procfile's types where a command takes TYPE arguments (read from ./Procfile when completing).
import { COMMANDS, flagName, OPTIONS, optionNames, shortOf, type CommandName } from '../config/options.js';
import { UserError } from '../errors.js';

export const SHELLS = ['bash', 'zsh', 'fish'] as const;
type Shell = (typeof SHELLS)[number];

const commandNames = Object.keys(COMMANDS) as CommandName[];
const EXTRA = ['help', 'completion'];
/** the commands whose arguments are type names (or, for the control ones, instance names too) */
const TAKES_TYPES: readonly CommandName[] = ['start', 'check', 'validate', 'restart', 'stop', 'scale', 'logs', 'load'];
const of = (command: CommandName) => optionNames.filter((name) => OPTIONS[name].commands.includes(command));
/** the Procfile's type names, in the shell (cut at the first colon of lines that are not comments) */
const PROCFILE_TYPES = `sed -n 's/^\\([A-Za-z0-9_-]*\\):.*/\\1/p' Procfile 2>/dev/null`;
const quote = (text: string): string => `'${text.replaceAll("'", "'\\''")}'`;

function bash(): string {
  const cases = commandNames.map((command) => {
    const words = of(command).flatMap((name) => [
      `--${flagName(name)}`,
      ...(OPTIONS[name].kind === 'boolean' ? [`--no-${flagName(name)}`] : []),
      ...(shortOf(name, command) ? [`-${shortOf(name, command)}`] : []),
    ]);
    const choices = of(command)
      .filter((name) => OPTIONS[name].choices)
      .map(
        (name) =>
          `      --${flagName(name)}) COMPREPLY=($(compgen -W ${quote((OPTIONS[name].choices ?? []).join(' '))} -- "$cur")); return ;;`,
      );
    // after an option that takes a value: its choices, or nothing (bash then completes file names)
    const valued = of(command)
      .filter((name) => OPTIONS[name].kind !== 'boolean' && !OPTIONS[name].choices)
      .flatMap((name) => [`--${flagName(name)}`, ...(shortOf(name, command) ? [`-${shortOf(name, command)}`] : [])]);
    return [
      `    ${command})`,
      '      case "$prev" in',
      ...choices,
      ...(valued.length > 0 ? [`      ${valued.join('|')}) return ;;`] : []),
      '      esac',
      `      COMPREPLY=($(compgen -W ${quote(`${words.join(' ')} --help`)} -- "$cur"))`,
      TAKES_TYPES.includes(command)
        ? `      [[ "$cur" != -* ]] && COMPREPLY+=($(compgen -W "$(${PROCFILE_TYPES})" -- "$cur"))`
        : '      :',
      '      ;;',
    ].join('\n');
  });
  return [
    '# amnesia completion for bash: eval "$(amnesia completion bash)" in ~/.bashrc',
    '_amnesia() {',
    '  local cur="${COMP_WORDS[COMP_CWORD]}" prev="${COMP_WORDS[COMP_CWORD-1]}"',
    '  if [[ $COMP_CWORD -eq 1 ]]; then',
    `    COMPREPLY=($(compgen -W ${quote([...commandNames, ...EXTRA].join(' '))} -- "$cur"))`,
    '    return',
    '  fi',
    '  case "${COMP_WORDS[1]}" in',
    ...cases,
    `    help) COMPREPLY=($(compgen -W ${quote(commandNames.join(' '))} -- "$cur")) ;;`,
    `    completion) COMPREPLY=($(compgen -W ${quote(SHELLS.join(' '))} -- "$cur")) ;;`,
    '  esac',
    '}',
    'complete -o default -F _amnesia amnesia',
    '',
  ].join('\n');
}

// zsh loads bash completions through bashcompinit: one script to keep right instead of two.
function zsh(): string {
  return [
    '# amnesia completion for zsh: eval "$(amnesia completion zsh)" in ~/.zshrc',
    'autoload -U +X compinit && compinit',
    'autoload -U +X bashcompinit && bashcompinit',
    bash().split('\n').slice(1).join('\n'),
  ].join('\n');
}

function fish(): string {
  const lines = [
    '# amnesia completion for fish: amnesia completion fish > ~/.config/fish/completions/amnesia.fish',
    'complete -c amnesia -f',
    ...commandNames.map(
      (command) => `complete -c amnesia -n __fish_use_subcommand -a ${command} -d ${quote(COMMANDS[command].summary)}`,
    ),
    "complete -c amnesia -n __fish_use_subcommand -a help -d 'show the help of a command'",
    "complete -c amnesia -n __fish_use_subcommand -a completion -d 'print a shell completion script'",
    `complete -c amnesia -n '__fish_seen_subcommand_from help' -a ${quote(commandNames.join(' '))}`,
    `complete -c amnesia -n '__fish_seen_subcommand_from completion' -a ${quote(SHELLS.join(' '))}`,
  ];
  for (const command of commandNames) {
    const when = `-n '__fish_seen_subcommand_from ${command}'`;
    for (const name of of(command)) {
      const spec = OPTIONS[name];
      const letter = shortOf(name, command);
      const short = letter ? ` -s ${letter}` : '';
      const value = spec.kind === 'boolean' ? '' : spec.choices ? ` -x -a ${quote(spec.choices.join(' '))}` : ' -r';
      lines.push(`complete -c amnesia ${when} -l ${flagName(name)}${short}${value} -d ${quote(spec.description)}`);
      if (spec.kind === 'boolean') lines.push(`complete -c amnesia ${when} -l no-${flagName(name)}`);
    }
    if (TAKES_TYPES.includes(command))
      lines.push(
        `complete -c amnesia ${when} -a ${quote("(string match -rg '^([A-Za-z0-9_-]+):' < Procfile 2>/dev/null)")}`,
      );
  }
  return `${lines.join('\n')}\n`;
}

export function completionScript(shell: string | undefined): string {
  if (!SHELLS.includes(shell as Shell))
    throw new UserError('BAD_SHELL', shell === undefined ? 'which shell?' : `no completion for "${shell}"`, {
      where: 'amnesia completion',
      hint: `write amnesia completion ${SHELLS.join('|')}`,
    });
  return { bash, zsh, fish }[shell as Shell]();
}
