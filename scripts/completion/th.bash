# bash completion for th: every th-* verb. Options come from the verb's
# own --help, so they never drift; account and list names from disk.
_th()
{
	local cur prev verb opts dir
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=${COMP_WORDS[COMP_CWORD-1]}
	verb=${COMP_WORDS[0]##*/}
	case $prev in
	-a|--account)
		dir=${XDG_CONFIG_HOME:-$HOME/.config}/th/accounts
		COMPREPLY=($(compgen -W "$(ls "$dir" 2>/dev/null)" -- "$cur"))
		return ;;
	-F|--file|--attachment|--state|--token-file|--spool)
		COMPREPLY=($(compgen -f -- "$cur"))
		return ;;
	--media)
		COMPREPLY=($(compgen -W "TEXT IMAGE VIDEO" -- "$cur"))
		return ;;
	--reply-control)
		COMPREPLY=($(compgen -W "everyone accounts_you_follow mentioned_only parent_post_author_only followers_only" -- "$cur"))
		return ;;
	--errors)
		COMPREPLY=($(compgen -W "json" -- "$cur"))
		return ;;
	--instagram-story)
		COMPREPLY=($(compgen -W "light dark" -- "$cur"))
		return ;;
	--demographics)
		COMPREPLY=($(compgen -W "country city age gender" -- "${cur##*,}"))
		[ "${cur%,*}" != "$cur" ] && COMPREPLY=("${COMPREPLY[@]/#/${cur%,*},}")
		return ;;
	esac
	if [[ $cur == -* ]]; then
		opts="$("$verb" --help 2>/dev/null | grep -o -- '--[a-z][a-z-]*' | sort -u)"
		opts="$opts --help --version --account --verbose --jq --errors --token-file"
		COMPREPLY=($(compgen -W "$opts" -- "$cur"))
		return
	fi
	dir=${XDG_DATA_HOME:-$HOME/.local/share}/th/lists
	case $verb in
	th-list)
		if [ "$COMP_CWORD" -eq 1 ]; then
			COMPREPLY=($(compgen -W "show create add rm delete rename $(ls "$dir" 2>/dev/null)" -- "$cur"))
		elif [ "$COMP_CWORD" -eq 2 ]; then
			COMPREPLY=($(compgen -W "$(ls "$dir" 2>/dev/null)" -- "$cur"))
		fi ;;
	th-follow)
		[ "$COMP_CWORD" -eq 1 ] && COMPREPLY=($(compgen -W "show add rm" -- "$cur")) ;;
	th-auth)
		[ "$COMP_CWORD" -eq 1 ] && COMPREPLY=($(compgen -W "login status refresh token logout accounts" -- "$cur")) ;;
	th-timeline)
		COMPREPLY=($(compgen -W "me mentions replies ghosts pending: $(ls "$dir" 2>/dev/null | sed 's/^/list:/')" -- "$cur")) ;;
	th-stats)
		COMPREPLY=($(compgen -W "me" -- "$cur")) ;;
	esac
}
complete -F _th th-api th-approve th-atom th-auth th-delete th-embed th-follow th-hide th-hook th-list \
	th-post th-repost th-search th-show th-stats th-timeline th-whois
