# bash completion for socketlab                                     -*- shell-script -*-
# Subcommands and each one's own options as in `socketlab COMMAND --help`; lesson ids and
# numbers are asked of the installed binary (`socketlab lessons`), so new lessons
# complete without an update.

_socketlab_lessons() {
    # "NN  id  title": the number and the id of each built-in lesson.
    "$1" lessons 2>/dev/null | awk '{ print $1; print $2 }'
}

_socketlab() {
    local cur prev words cword
    _init_completion || return

    local commands="run check show lessons watch trace export"
    local common="-h --help -v --version --lang"
    local colour="--color --no-color"

    case $prev in
    --trace)
        # run: a file; check: a directory
        if [[ " ${words[*]} " == *" check "* ]]; then
            _filedir -d
        else
            _filedir
        fi
        return
        ;;
    -o | --output | --svg | --png | --mermaid | --text)
        _filedir
        return
        ;;
    --answers)
        _filedir
        return
        ;;
    --view)
        mapfile -t COMPREPLY < <(compgen -W "stage sequence both" -- "$cur")
        return
        ;;
    --lang)
        mapfile -t COMPREPLY < <(compgen -W "en ko" -- "$cur")
        return
        ;;
    --format)
        mapfile -t COMPREPLY < <(compgen -W "text json junit" -- "$cur")
        return
        ;;
    --pace | --pid | --port | --interval | --count | --break | --at | --width)
        return
        ;;
    esac

    local i command=""
    for ((i = 1; i < cword; i++)); do
        case ${words[i]} in
        --trace | --lang | --format | -o | --output | --pace | --answers | --pid | --port | \
            --interval | --count | --break | --svg | --png | --mermaid | --text | --at | --view | \
            --width) ((i++)) ;;
        --) break ;;
        -*) ;;
        *)
            command=${words[i]}
            break
            ;;
        esac
    done

    local options
    case $command in
    run) options="$common $colour --trace --allow-lan --pace --step --answers" ;;
    check) options="$common $colour --all --format -o --output --trace --allow-lan --pace" ;;
    show) options="$common $colour" ;;
    lessons) options="$common --json" ;;
    watch) options="-h --help -v --version --pid --port --interval --count" ;;
    export) options="-h --help --help-all --svg --png --mermaid --text --at --view --lang --width --python -o --output --comments" ;;
    trace) options="-h --help -v --version $colour --step --break --quiet --trace" ;;
    *) options="$common --help-all" ;;
    esac
    if [[ $cur == -* ]]; then
        mapfile -t COMPREPLY < <(compgen -W "$options" -- "$cur")
        return
    fi

    case $command in
    "")
        mapfile -t COMPREPLY < <(compgen -W "$commands" -- "$cur")
        ;;
    run | check | export)
        # a built-in lesson (number or id) or a .lab file
        mapfile -t COMPREPLY < <(compgen -W "$(_socketlab_lessons "${words[0]}")" -- "$cur")
        _filedir lab
        ;;
    show)
        _filedir jsonl
        ;;
    esac
} &&
    complete -F _socketlab socketlab

# ex: filetype=sh
