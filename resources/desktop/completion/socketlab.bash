# bash completion for socketlab                                     -*- shell-script -*-
# Subcommands and options as in `socketlab --help`; lesson ids and numbers are asked of
# the installed binary (`socketlab lessons`), so new lessons complete without an update.

_socketlab_lessons() {
    # "NN  id  title": the number and the id of each built-in lesson.
    "$1" lessons --no-color 2>/dev/null | awk '{ print $1; print $2 }'
}

_socketlab() {
    local cur prev words cword
    _init_completion || return

    local commands="run check lessons"
    local options="-h -v --help --version --trace --lang --all --allow-lan --color --no-color"

    case $prev in
    --trace)
        _filedir
        return
        ;;
    --lang)
        mapfile -t COMPREPLY < <(compgen -W "en ko" -- "$cur")
        return
        ;;
    esac

    local i command=""
    for ((i = 1; i < cword; i++)); do
        case ${words[i]} in
        --trace | --lang) ((i++)) ;;
        -*) ;;
        *)
            command=${words[i]}
            break
            ;;
        esac
    done

    if [[ $cur == -* ]]; then
        mapfile -t COMPREPLY < <(compgen -W "$options" -- "$cur")
        return
    fi

    case $command in
    "")
        mapfile -t COMPREPLY < <(compgen -W "$commands" -- "$cur")
        ;;
    run | check)
        # a built-in lesson (number or id) or a .lab file
        mapfile -t COMPREPLY < <(compgen -W "$(_socketlab_lessons "${words[0]}")" -- "$cur")
        _filedir lab
        ;;
    esac
} &&
    complete -F _socketlab socketlab

# ex: filetype=sh
