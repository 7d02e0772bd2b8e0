#!/bin/sh
# make graphs: draws the TCP and TLS lifecycle tables (spec/tcp_lifecycle.tbl,
# spec/tls_lifecycle.tbl) as Graphviz pictures, docs/tcp_lifecycle.svg and
# docs/tls_lifecycle.svg, from the table files themselves (STYLE.md 3): awk
# writes the .dot (build/graphs/), dot draws it. To keep the pictures
# readable, edges with the same source, target, actions and cause are merged
# into one (the events listed on it), self-loops with actions are written in
# their node, self-loops without actions (events a state ignores or refuses)
# are left out, and so is the INVALID row (it
# refuses every event); each picture says so in its legend. The tables, not
# the pictures, are the reference.
set -eu
command -v dot >/dev/null 2>&1 || {
    echo "graphs: Graphviz is missing (apt-get install graphviz)"; exit 1; }
mkdir -p build/graphs docs

prog='
function clean(s) { sub(/^[ \t]+/, "", s); sub(/[ \t]+$/, "", s); return s }
# A label line break every three names.
function wrap(list, sep,    n, a, i, out) {
    n = split(list, a, " ")
    out = ""
    for (i = 1; i <= n; i++) out = out (i == 1 ? "" : (i % 3 == 1 ? sep "\\n" : sep " ")) a[i]
    return out
}
/^#: state / { if ($3 != "INVALID") { ns++; st[ns] = $3 } next }
/^#: event / { nev++; next }
/^[ \t]*#/ || NF == 0 { next }
{
    line = $0; sub(/#.*/, "", line)
    n = split(clean(line), f, /[ \t]+/)
    if (n != 5 || f[1] == "INVALID") next
    acts = (f[4] == "-") ? "" : f[4]
    if (f[1] == f[3] && acts == "") next
    gsub(/,/, " ", acts)
    if (f[1] == f[3]) { # drawn inside the node, one line per set of actions
        sk = f[1] SUBSEP acts
        if (!(sk in self)) { nsg[f[1]]++; sgroup[f[1], nsg[f[1]]] = acts; self[sk] = f[2] }
        else self[sk] = self[sk] " " f[2]
        nself[f[1]]++
        next
    }
    nout[f[1]]++
    key = f[1] SUBSEP f[3] SUBSEP acts SUBSEP f[5]
    if (!(key in ev)) { ne++; order[ne] = key; ev[key] = f[2] } else ev[key] = ev[key] " " f[2]
}
END {
    printf("digraph %s {\n", name)
    print "    rankdir=LR; nodesep=0.3; ranksep=0.9;"
    print "    node [shape=box, style=\"rounded,filled\", fillcolor=\"#f4f4f4\", fontname=\"Helvetica\", fontsize=11];"
    print "    edge [fontname=\"Helvetica\", fontsize=8];"
    printf("    labelloc=t; fontname=\"Helvetica\"; fontsize=14; label=\"%s: spec/%s.tbl\";\n", name, name)
    for (i = 1; i <= ns; i++) {
        fill = (st[i] == "FAILED") ? "#f8d7d7" : (st[i] == "RELEASED") ? "#dfe8f5" : \
               (st[i] == "ESTABLISHED") ? "#dcf0dc" : "#f4f4f4"
        label = st[i]
        for (g = 1; g <= nsg[st[i]]; g++) {
            acts = sgroup[st[i], g]
            evs = (nsg[st[i]] == 1 && nself[st[i]] + nout[st[i]] == nev) ? "every other event" : \
                  wrap(self[st[i], acts], ",")
            label = label "\\n\\nstays on " evs "\\n/ " wrap(acts, ",")
        }
        printf("    %s [fillcolor=\"%s\", label=\"%s\"];\n", st[i], fill, label)
    }
    for (i = 1; i <= ne; i++) {
        split(order[i], k, SUBSEP)
        label = wrap(ev[k[1], k[2], k[3], k[4]], ",")
        if (k[3] != "") label = label "\\n/ " wrap(k[3], ",")
        if (k[4] != "none") label = label "\\n[" k[4] "]"
        color = (k[2] == "FAILED") ? "#b03030" : (k[2] == "RELEASED") ? "#3050a0" : "#202020"
        printf("    %s -> %s [label=\"%s\", color=\"%s\", fontcolor=\"%s\"];\n", k[1], k[2], label, color, color)
    }
    print "    legend [shape=note, fillcolor=\"#ffffff\", fontsize=9, label=\"edge: EVENT, EVENT ... / ACTIONS [cause]\\l" \
          "edges with the same source, target, actions and cause are merged\\l" \
          "self-loops with actions are written in the node: stays on ...\\l" \
          "self-loops without actions (events ignored or refused there) are not drawn\\l" \
          "the INVALID row (a slot never created: every event refused) is not drawn\\l" \
          "red: to FAILED, blue: to RELEASED\\l\"];"
    print "}"
}'

for name in tcp_lifecycle tls_lifecycle; do
    awk -v name="$name" "$prog" "spec/$name.tbl" > "build/graphs/$name.dot"
    dot -Tsvg "build/graphs/$name.dot" -o "docs/$name.svg"
    echo "graphs: spec/$name.tbl -> docs/$name.svg"
done
