# Compiles spec/tls_lifecycle.tbl into gen/tls_lifecycle_table.c (the dense
# const array and the name arrays) or, with -v emit=header, into
# gen/tls_lifecycle_table.h (the enums of states, events, actions and causes,
# taken from the table's "#:" declaration lines: the table is the one source).
# Refuses (exit 1, message on stderr naming the line): a row that is not
# STATE EVENT NEXT ACTIONS CAUSE # rule; an unknown, duplicate or unused name;
# a duplicate or missing cell (the table must hold states x events); and a
# cell that breaks a property of the table (P1, P2, P3, P5, P7, refusal shape;
# see the table's header). Output is deterministic: state, then event order.
BEGIN {
    SRC = "spec/tls_lifecycle.tbl"; PFX = "EMSEC_TLS";
    ns = 0; ne = 0; na = 0; nc = 0; bad = 0; rows = 0;
}
function fail(msg) { printf("%s:%d: %s\n", SRC, FNR, msg) > "/dev/stderr"; bad = 1; }
function fail_cell(k, msg) { printf("%s:%d: %s\n", SRC, LINE[k], msg) > "/dev/stderr"; bad = 1; }
function clean(s) { sub(/^[ \t]+/, "", s); sub(/[ \t]+$/, "", s); return s; }
# Text that goes into a C comment: printable ASCII, no comment end.
function printable(s) { return s !~ /[^ -~]/ && index(s, "*/") == 0 && index(s, "/*") == 0; }
# ACTIONS is "-" or NAME,NAME,...; kept as " NAME NAME " in declared order.
function has(acts, name) { return index(acts, " " name " ") > 0; }

# Declarations: "#: KIND NAME description".
/^#:/ {
    if (rows > 0) { fail("declarations come before the first row"); next }
    kind = $2; name = $3;
    desc = $0; sub(/^#:[ \t]*[a-z]+[ \t]+[^ \t]+[ \t]*/, "", desc); desc = clean(desc);
    if (desc == "" || !printable(desc)) fail("declaration of " name " needs a printable description");
    if (kind == "state" || kind == "event" || kind == "action") {
        if (name !~ /^[A-Z][A-Z0-9_]*$/) { fail(kind " names are upper case: " name); next }
    } else if (kind == "cause") {
        if (name !~ /^[a-z][a-z0-9_]*$/) { fail("cause names are lower case: " name); next }
    } else { fail("unknown declaration kind " kind); next }
    if ((kind, name) in DECL) { fail("duplicate " kind " " name); next }
    DECL[kind, name] = 1;
    if (kind == "state")  { S[name] = ns; SN[ns] = name; SD[ns] = desc; ns++; }
    if (kind == "event")  { E[name] = ne; EN[ne] = name; ED[ne] = desc; ne++; }
    if (kind == "action") { A[name] = na; AN[na] = name; AD[na] = desc; na++; }
    if (kind == "cause")  { C[name] = nc; CN[nc] = name; CD[nc] = desc; nc++; }
    next
}
/^[ \t]*#/ || NF == 0 { next }
{
    rows++;
    if (ns == 0 || ne == 0 || na == 0 || nc == 0) { fail("a row before the declarations"); next }
    hash = index($0, "#");
    if (hash == 0) { fail("no \"# rule\" column: every cell cites its rule"); next }
    rule = clean(substr($0, hash + 1));
    if (rule == "") fail("empty rule: every cell cites its rule");
    if (!printable(rule)) fail("the rule must be printable ASCII without comment marks");
    nf = split(substr($0, 1, hash - 1), f);
    if (nf != 5) { fail("want 5 columns before the rule: STATE EVENT NEXT ACTIONS CAUSE"); next }
    if (!(f[1] in S)) { fail("unknown state " f[1]); next }
    if (!(f[2] in E)) { fail("unknown event " f[2]); next }
    if (!(f[3] in S)) { fail("unknown next state " f[3]); next }
    if (!(f[5] in C)) { fail("unknown cause " f[5]); next }
    acts = " ";
    if (f[4] != "-") {
        m = split(f[4], a, ",");
        delete got;
        for (i = 1; i <= m; i++) {
            if (!(a[i] in A)) { fail("unknown action \"" a[i] "\""); continue }
            if (a[i] in got) fail("action " a[i] " twice");
            got[a[i]] = 1;
        }
        for (i = 0; i < na; i++) if (AN[i] in got) acts = acts AN[i] " ";
        if (acts == " ") fail("ACTIONS is \"-\" or names joined by \",\"");
    }
    k = S[f[1]] SUBSEP E[f[2]];
    if (k in NEXT) { fail("duplicate cell " f[1] " " f[2] " (first at line " LINE[k] ")"); next }
    NEXT[k] = f[3]; ACT[k] = acts; CAUSE[k] = f[5]; LINE[k] = FNR; RULE[k] = rule;
    USED_CAUSE[f[5]] = 1;
    for (i = 0; i < na; i++) if (has(acts, AN[i])) USED_ACTION[AN[i]] = 1;
}
function need(kind, name) {
    if (!((kind, name) in DECL)) { printf("%s: the properties need %s %s\n", SRC, kind, name) > "/dev/stderr"; bad = 1; }
}
function mask(acts,    i, out) {
    out = "";
    for (i = 0; i < na; i++) if (has(acts, AN[i])) out = out (out == "" ? "" : " | ") PFX "_ACT_" AN[i];
    return out == "" ? "0" : out;
}
END {
    if (bad) exit 1;
    need("state", "INVALID"); need("state", "NONE"); need("state", "HANDSHAKE_CLIENT");
    need("state", "HANDSHAKE_SERVER"); need("state", "ESTABLISHED"); need("state", "RELEASED");
    need("state", "FAILED");
    need("event", "RENEG_SECURE"); need("event", "RENEG_INSECURE"); need("event", "KEEP");
    need("event", "SLOT_RESET");
    need("action", "TCP_RELEASE"); need("action", "RENEG_ACCEPT"); need("action", "RENEG_REFUSE");
    need("action", "START_CLIENT"); need("action", "START_SERVER");
    need("cause", "none"); need("cause", "protocol"); need("cause", "renegotiation");
    if (bad) exit 1;
    if (SN[0] != "INVALID") { printf("%s: the first state is INVALID (0)\n", SRC) > "/dev/stderr"; exit 1 }
    if (CN[0] != "none") { printf("%s: the first cause is none (0)\n", SRC) > "/dev/stderr"; exit 1 }
    if (na > 16) { printf("%s: at most 16 actions (uint16_t)\n", SRC) > "/dev/stderr"; exit 1 }
    for (s = 0; s < ns; s++) for (e = 0; e < ne; e++) if (!((s SUBSEP e) in NEXT)) {
        printf("%s: missing cell %s %s: every state x event is a row\n", SRC, SN[s], EN[e]) > "/dev/stderr"; bad = 1;
    }
    for (i = 0; i < na; i++) if (!(AN[i] in USED_ACTION)) {
        printf("%s: action %s is declared but no cell uses it\n", SRC, AN[i]) > "/dev/stderr"; bad = 1;
    }
    for (i = 0; i < nc; i++) if (!(CN[i] in USED_CAUSE)) {
        printf("%s: cause %s is declared but no cell uses it\n", SRC, CN[i]) > "/dev/stderr"; bad = 1;
    }
    if (bad) exit 1;

    # The properties, cell by cell (core/lifecycle.h states the same in ACSL).
    for (s = 0; s < ns; s++) for (e = 0; e < ne; e++) {
        k = s SUBSEP e; st = SN[s]; ev = EN[e]; nx = NEXT[k]; ac = ACT[k]; ca = CAUSE[k];
        cell = st " " ev " -> " nx;
        dead = st == "RELEASED" || st == "FAILED";
        session = st == "HANDSHAKE_CLIENT" || st == "HANDSHAKE_SERVER" || st == "ESTABLISHED";
        if (st == "INVALID" && (nx != "INVALID" || ac != " " || ca != "protocol"))
            fail_cell(k, "P5: " cell ": the INVALID row refuses everything (INVALID, no action, protocol)");
        if (st != "INVALID" && nx == "INVALID")
            fail_cell(k, "P5: " cell ": only the INVALID row leads to INVALID");
        if ((nx == "RELEASED" || nx == "FAILED") && !has(ac, "TCP_RELEASE"))
            fail_cell(k, "P1: " cell ": a cell leading to " nx " releases TCP at once (TCP_RELEASE)");
        if (dead && ev == "SLOT_RESET" && nx != "NONE")
            fail_cell(k, "P2: " cell ": SLOT_RESET takes " st " back to NONE");
        if (dead && ev != "SLOT_RESET" && nx != st)
            fail_cell(k, "P2: " cell ": " st " is absorbing; only SLOT_RESET leaves it");
        if (has(ac, "RENEG_ACCEPT") && ev != "RENEG_SECURE")
            fail_cell(k, "P3: " cell ": RENEG_ACCEPT only on RENEG_SECURE (RFC 5746)");
        if (session && ev == "RENEG_INSECURE" &&
            (nx != "FAILED" || ca != "renegotiation" || !has(ac, "RENEG_REFUSE")))
            fail_cell(k, "P3: " cell ": an insecure renegotiation is refused and fails the session (cause renegotiation)");
        if (ev == "KEEP" && (nx != st || has(ac, "START_CLIENT") || has(ac, "START_SERVER")))
            fail_cell(k, "P7: " cell ": KEEP changes nothing and starts no handshake");
        if (ca == "protocol" && (nx != st || (ac != " " && ac != " TCP_RELEASE ")))
            fail_cell(k, "refusal: " cell ": a protocol cell stays and has no action but TCP_RELEASE (P1)");
    }
    if (bad) exit 1;

    banner = "/* GENERATED by `make gen` from " SRC ". DO NOT EDIT: edit " SRC " and run make gen. */";
    if (emit == "header") {
        print banner;
        print "#ifndef EMSEC_GEN_TLS_LIFECYCLE_TABLE_H";
        print "#define EMSEC_GEN_TLS_LIFECYCLE_TABLE_H";
        print "";
        print "/* States: the first index of emsec_tls_table. */";
        print "typedef enum emsec_tls_state {";
        for (i = 0; i < ns; i++) printf("    %s_ST_%s = %d, /* %s */\n", PFX, SN[i], i, SD[i]);
        printf("    %s_STATE_COUNT = %d\n", PFX, ns);
        print "} emsec_tls_state;";
        print "";
        print "/* Events: the second index of emsec_tls_table. */";
        print "typedef enum emsec_tls_event {";
        for (i = 0; i < ne; i++) printf("    %s_EV_%s = %d, /* %s */\n", PFX, EN[i], i, ED[i]);
        printf("    %s_EVENT_COUNT = %d\n", PFX, ne);
        print "} emsec_tls_event;";
        print "";
        print "/* Actions: bits of emsec_tls_cell.actions. */";
        print "typedef enum emsec_tls_action {";
        for (i = 0; i < na; i++) printf("    %s_ACT_%s = 0x%04x%s /* %s */\n", PFX, AN[i], 2 ^ i, i < na - 1 ? "," : "", AD[i]);
        print "} emsec_tls_action;";
        printf("#define %s_ACTION_COUNT %d\n", PFX, na);
        printf("#define %s_ACT_ALL 0x%04xu\n", PFX, 2 ^ na - 1);
        print "";
        print "/* Causes, reported with tlsbsc/ef and tlsbsc/rel. */";
        print "typedef enum emsec_tls_cause {";
        for (i = 0; i < nc; i++) printf("    %s_CAUSE_%s = %d, /* %s */\n", PFX, toupper(CN[i]), i, CD[i]);
        printf("    %s_CAUSE_COUNT = %d\n", PFX, nc);
        print "} emsec_tls_cause;";
        print "";
        print "#endif";
        exit 0;
    }
    print banner;
    print "#include \"lifecycle.h\"";
    print "";
    print "/* Every cell, state by state; .line is the cell's row in " SRC ". */";
    print "const emsec_tls_cell emsec_tls_table[EMSEC_TLS_STATE_COUNT][EMSEC_TLS_EVENT_COUNT] = {";
    for (s = 0; s < ns; s++) {
        printf("    /* %s */\n", SN[s]);
        for (e = 0; e < ne; e++) {
            k = s SUBSEP e;
            printf("    [%s_ST_%s][%s_EV_%s] = { .next = %s_ST_%s, .actions = %s, .cause = %s_CAUSE_%s, .line = %d }, /* %s */\n",
                   PFX, SN[s], PFX, EN[e], PFX, NEXT[k], mask(ACT[k]), PFX, toupper(CAUSE[k]), LINE[k], RULE[k]);
        }
    }
    print "};";
    print "";
    print "const char *const emsec_tls_state_names[EMSEC_TLS_STATE_COUNT] = {";
    for (i = 0; i < ns; i++) printf("    \"%s\",\n", SN[i]);
    print "};";
    print "const char *const emsec_tls_event_names[EMSEC_TLS_EVENT_COUNT] = {";
    for (i = 0; i < ne; i++) printf("    \"%s\",\n", EN[i]);
    print "};";
    print "/* Bit i of emsec_tls_cell.actions. */";
    print "const char *const emsec_tls_action_names[EMSEC_TLS_ACTION_COUNT] = {";
    for (i = 0; i < na; i++) printf("    \"%s\",\n", AN[i]);
    print "};";
    print "const char *const emsec_tls_cause_names[EMSEC_TLS_CAUSE_COUNT] = {";
    for (i = 0; i < nc; i++) printf("    \"%s\",\n", CN[i]);
    print "};";
}
