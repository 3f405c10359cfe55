use anyhow::Result;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The shell
    pub shell: clap_complete::Shell,
}

/// `cli` is the whole command line's definition, handed down by the dispatcher.
pub fn run(args: &Args, mut cli: clap::Command) -> Result<()> {
    use std::io::Write;
    if args.shell != clap_complete::Shell::Bash {
        clap_complete::generate(args.shell, &mut cli, "casebook", &mut std::io::stdout());
        return Ok(());
    }
    let mut buf = Vec::new();
    clap_complete::generate(args.shell, &mut cli, "casebook", &mut buf);
    cli.build();
    let script = without_hidden(&String::from_utf8_lossy(&buf), &cli);
    write!(std::io::stdout(), "{script}{}", bash_values(&cli))?;
    Ok(())
}

/// clap's bash script offers hidden options and subcommands too (`overdue
/// --all`, `complete`): take them out of each `opts="…"` list.
fn without_hidden(script: &str, cli: &clap::Command) -> String {
    let hidden_subs: Vec<String> = cli
        .get_subcommands()
        .filter(|s| s.is_hide_set())
        .map(|s| s.get_name().to_string())
        .collect();
    let mut hidden_opts: Vec<(String, Vec<String>)> = Vec::new();
    for sub in cli.get_subcommands() {
        let mut sub = sub.clone();
        sub.build();
        let longs: Vec<String> = sub
            .get_arguments()
            .filter(|a| a.is_hide_set())
            .filter_map(|a| a.get_long().map(|l| format!("--{l}")))
            .collect();
        if !longs.is_empty() {
            hidden_opts.push((format!("casebook__subcmd__{})", sub.get_name()), longs));
        }
    }
    let mut block = String::new();
    let mut out = String::with_capacity(script.len());
    for line in script.lines() {
        let t = line.trim();
        if t.ends_with(')') && !t.contains(' ') {
            block = t.to_string();
        }
        if let Some(list) = t.strip_prefix("opts=\"").and_then(|r| r.strip_suffix('"')) {
            let drop: Vec<&String> = hidden_opts
                .iter()
                .filter(|(b, _)| *b == block)
                .flat_map(|(_, l)| l)
                .chain(hidden_subs.iter())
                .collect();
            let kept: Vec<&str> = list
                .split(' ')
                .filter(|w| !drop.iter().any(|d| d.as_str() == *w))
                .collect();
            let indent = &line[..line.len() - line.trim_start().len()];
            out.push_str(&format!("{indent}opts=\"{}\"\n", kept.join(" ")));
            continue;
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// What `casebook complete KIND` lists for an argument, by its id.
fn kind_of(id: &str) -> Option<&'static str> {
    Some(match id {
        "as_user" | "owner" | "creator" | "handle" => "handles",
        "status" => "statuses",
        "method" => "methods",
        "outcome" => "outcomes",
        "account" => "accounts",
        "team" => "teams",
        "case" => "cases",
        _ => return None,
    })
}

/// Bash completion of the desk's own values (statuses, handles, case
/// numbers …) from `casebook complete`, in front of clap's completion of
/// subcommands and options: written from the same definitions.
fn bash_values(cli: &clap::Command) -> String {
    let mut takes_value = std::collections::BTreeSet::new();
    let mut options = std::collections::BTreeMap::new();
    let mut positionals = Vec::new();
    let mut note = |sub: &str, cmd: &clap::Command| {
        let mut k = 0;
        for a in cmd.get_arguments() {
            let kind = kind_of(a.get_id().as_str());
            if a.is_positional() {
                if let Some(kind) = kind {
                    positionals.push(format!("{sub}:{k}) kind={kind} ;;"));
                }
                k += 1;
                continue;
            }
            if !a.get_action().takes_values() {
                continue;
            }
            let longs: Vec<&str> = a
                .get_long_and_visible_aliases()
                .unwrap_or_default()
                .into_iter()
                .collect();
            for l in longs {
                takes_value.insert(format!("--{l}"));
                if let Some(kind) = kind {
                    options.insert(format!("--{l}"), kind);
                }
            }
        }
    };
    note("", cli);
    for sub in cli.get_subcommands() {
        let mut sub = sub.clone();
        sub.build();
        note(sub.get_name(), &sub);
    }
    let takes: Vec<String> = takes_value.into_iter().collect();
    let opts: Vec<String> = options
        .iter()
        .map(|(o, k)| format!("        {o}) kind={k} ;;"))
        .collect();
    let pos: Vec<String> = positionals
        .iter()
        .map(|p| format!("            {p}"))
        .collect();
    format!(
        r#"
# Values from your own desk: `casebook complete KIND` lists them.
_casebook_values() {{
    local cur="${{COMP_WORDS[COMP_CWORD]}}" prev="" kind="" sub="" pos=0 i=1 w
    local -a desk=()
    [ "$COMP_CWORD" -gt 0 ] && prev="${{COMP_WORDS[COMP_CWORD-1]}}"
    while [ "$i" -lt "$COMP_CWORD" ]; do
        w="${{COMP_WORDS[i]}}"
        case "$w" in
            --db|--config) desk+=("$w" "${{COMP_WORDS[i+1]}}"); i=$((i+1)) ;;
            {takes}) i=$((i+1)) ;;
            -*) ;;
            *) if [ -z "$sub" ]; then sub="$w"; else pos=$((pos+1)); fi ;;
        esac
        i=$((i+1))
    done
    case "$prev" in
{opts}
    esac
    if [ -z "$kind" ] && [ -n "$sub" ] && [[ "$cur" != -* ]]; then
        case "$sub:$pos" in
{pos}
        esac
    fi
    if [ -n "$kind" ]; then
        local IFS=$'\n' v
        COMPREPLY=()
        for v in $(compgen -W "$("${{COMP_WORDS[0]}}" "${{desk[@]}}" complete "$kind" 2>/dev/null)" -- "$cur"); do
            COMPREPLY+=("$(printf '%q' "$v")")
        done
        return 0
    fi
    _casebook "$@"
}}
complete -F _casebook_values -o bashdefault -o default casebook
"#,
        takes = takes.join("|"),
        opts = opts.join("\n"),
        pos = pos.join("\n"),
    )
}
