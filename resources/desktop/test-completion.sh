#!/bin/bash
# CTest completion_sync: the shell completion knows every subcommand `socketlab --help`
# lists and every option each one's own --help lists (so a new command or option that
# is not added to the completion fails here).
#   test-completion.sh SOCKETLAB BASH_COMPLETION ZSH_COMPLETION
# bash: the completion function is run as bash-completion runs it (COMP_WORDS) and its
# answers are checked. zsh: its syntax is checked and each option must appear in its
# command's section of the _arguments spec (zsh's completion system needs a terminal).
set -u
bin=$1 bashfile=$2 zshfile=$3
fail=0
bad() {
    echo "FAIL: $*"
    fail=1
}
[ -r /usr/share/bash-completion/bash_completion ] ||
    { echo "FAIL: bash-completion is not installed (scripts/bootstrap.sh test installs it)"; exit 1; }

# The commands: the first word of each line of the help's "Commands:" block.
mapfile -t commands < <("$bin" --help | awk '/^Commands:/ { on = 1; next } on && /^$/ { exit } on { print $1 }')
[ ${#commands[@]} -ge 5 ] || bad "socketlab --help lists ${#commands[@]} commands"

# Long options of a command's own --help (export: pictures and --python together).
options_of() {
    {
        "$bin" "$1" --help 2>/dev/null
        [ "$1" = export ] && "$bin" export --python --help 2>/dev/null
    } | grep -oE '^ +(-[a-zA-Z], )?--[a-z][a-z-]*' | grep -oE -- '--[a-z][a-z-]*' | sort -u
}

# shellcheck disable=SC1091
source /usr/share/bash-completion/bash_completion
# shellcheck disable=SC1090
source "$bashfile"
complete_words() { # the words typed so far, the last one being completed
    COMP_WORDS=("$@")
    COMP_CWORD=$(($# - 1))
    COMP_LINE="$*"
    COMP_POINT=${#COMP_LINE}
    COMPREPLY=()
    _socketlab socketlab "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
    printf '%s\n' "${COMPREPLY[@]}"
}

offered=$(complete_words socketlab "")
for c in "${commands[@]}"; do
    grep -qx -- "$c" <<<"$offered" || bad "bash: 'socketlab <TAB>' does not offer '$c'"
    grep -q "^      '$c:" "$zshfile" || bad "zsh: command '$c' is not in the command list"
    section=$(awk -v c="    $c)" '$0 == c { on = 1; next } on && /^      ;;/ { exit } on' "$zshfile")
    [ -n "$section" ] || bad "zsh: no section for '$c'"
    opts=$(complete_words socketlab "$c" --)
    for o in $(options_of "$c"); do
        grep -qx -- "$o" <<<"$opts" || bad "bash: 'socketlab $c --<TAB>' does not offer $o"
        case $o in --help | --version | --lang | --color | --no-color) continue ;; esac
        grep -q -- "$o" <<<"$section" || bad "zsh: '$c' does not complete $o"
    done
done
# A lesson's number completes for run (asked of the binary: it must be on PATH).
grep -qx 5 <<<"$(PATH=$(dirname "$bin"):$PATH complete_words socketlab run "")" ||
    bad "bash: 'socketlab run <TAB>' does not offer lesson 5"
if command -v zsh >/dev/null; then
    zsh -n "$zshfile" || bad "zsh: syntax error in $zshfile"
fi
[ "$fail" -eq 0 ] && echo "completion: ${#commands[@]} commands, bash and zsh in step with --help"
exit "$fail"
