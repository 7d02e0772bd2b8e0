# Compiles spec/h248_profile.tbl into gen/h248_profile_table.c. Refuses (exit 1,
# message on stderr naming the line) a malformed row: a bad name, an unknown
# kind, type, place or flag, a duplicate item or code, a parameter row without
# its signal / event, places that do not fit the kind, a domain that does not
# fit the type, a secret row that could be audited. See the table's header for
# the columns. Output is deterministic (spec order, no dates).
BEGIN {
    KIND["property"] = "EMSEC_H248_KIND_PROPERTY";
    KIND["signal"] = "EMSEC_H248_KIND_SIGNAL";
    KIND["event"] = "EMSEC_H248_KIND_EVENT";
    KIND["statistic"] = "EMSEC_H248_KIND_STATISTIC";
    KIND["event-parameter"] = "EMSEC_H248_KIND_EVENT_PARAM";
    KIND["signal-parameter"] = "EMSEC_H248_KIND_SIGNAL_PARAM";
    TYPE["none"] = "EMSEC_H248_TYPE_NONE"; TYPE["enum"] = "EMSEC_H248_TYPE_ENUM";
    TYPE["hex"] = "EMSEC_H248_TYPE_HEX"; TYPE["string"] = "EMSEC_H248_TYPE_STRING";
    TYPE["uint"] = "EMSEC_H248_TYPE_UINT"; TYPE["boolean"] = "EMSEC_H248_TYPE_BOOLEAN";
    PLACE["LocalControl"] = "EMSEC_H248_PLACE_LOCAL_CONTROL";
    PLACE["TerminationState"] = "EMSEC_H248_PLACE_TERMINATION_STATE";
    PLACE["ContextAttr"] = "EMSEC_H248_PLACE_CONTEXT_ATTR";
    PLACE["Signals"] = "EMSEC_H248_PLACE_SIGNALS";
    PLACE["Events"] = "EMSEC_H248_PLACE_EVENTS";
    PLACE["ObservedEvents"] = "EMSEC_H248_PLACE_OBSERVED_EVENTS";
    PLACE["Statistics"] = "EMSEC_H248_PLACE_STATISTICS";
    # The places each kind may be legal at.
    FITS["property", "LocalControl"] = 1; FITS["property", "TerminationState"] = 1;
    FITS["property", "ContextAttr"] = 1;
    FITS["signal", "Signals"] = 1; FITS["signal-parameter", "Signals"] = 1;
    FITS["event", "Events"] = 1; FITS["event", "ObservedEvents"] = 1;
    FITS["event-parameter", "Events"] = 1; FITS["event-parameter", "ObservedEvents"] = 1;
    FITS["statistic", "Statistics"] = 1;
    PARENT["event-parameter"] = "event"; PARENT["signal-parameter"] = "signal";
    YN["yes"] = "true"; YN["no"] = "false";
    U64MAX = "18446744073709551615";
    n = 0; ncode = 0; bad = 0;
    nwords = 1; words = "\"\""; # word 0 is "": the values of a row that has none
}
function fail(msg) { printf("%s:%d: %s\n", FILENAME, FNR, msg) > "/dev/stderr"; bad = 1; }
function fail_file(msg) { printf("%s: %s\n", FILENAME, msg) > "/dev/stderr"; bad = 1; }
# Annex B: NAME = ALPHA *63(ALPHA / DIGIT / "_")
function is_name(s) { return s ~ /^[A-Za-z][A-Za-z0-9_]*$/ && length(s) <= 64; }
# Decimal strings compared as numbers without awk's doubles (2^64-1 needs 20 digits).
function strip0(s) { sub(/^0+/, "", s); return s == "" ? "0" : s; }
function dec_le(a, b) {
    a = strip0(a); b = strip0(b);
    if (length(a) != length(b)) return length(a) < length(b);
    return a <= b;
}
function is_dec(s) { return s ~ /^[0-9]+$/ && dec_le(s, U64MAX); }
function printable(s) { return s !~ /[^ -~]/ && s !~ /["\\]/ && index(s, "*/") == 0; }

/^#/ || NF == 0 { next }

# Error code rows: NNN text...
$1 ~ /^[0-9]/ {
    if ($1 !~ /^[1-9][0-9][0-9][0-9]?$/) { fail("an error code is 3 or 4 digits: " $1); next }
    if (NF < 2) { fail("error code " $1 " has no text"); next }
    if ($1 in code_seen) fail("duplicate error code " $1);
    code_seen[$1] = 1;
    text = $2; for (i = 3; i <= NF; i++) text = text " " $i;
    if (!printable(text)) fail("error code text must be printable ASCII without quotes or backslashes");
    ncode++;
    code_line[ncode] = sprintf("    { .code = %d, .text = \"%s\" },", $1 + 0, text);
    next
}

# Item rows.
{
    if (NF < 11) { fail("fewer than 11 columns (pkg item param kind type domain places audit secret access rule)"); next }
    pkg = $1; item = $2; param = $3; kind = $4; type = $5; dom = $6; places = $7;
    if (!is_name(pkg)) fail("package is not an Annex B NAME: " pkg);
    if (!is_name(item)) fail("item is not an Annex B NAME: " item);
    if (!(kind in KIND)) { fail("unknown kind " kind); next }
    if (!(type in TYPE)) { fail("unknown type " type); next }
    if (!($8 in YN)) fail("audit must be yes or no, not " $8);
    if (!($9 in YN)) fail("secret must be yes or no, not " $9);
    rule = $11; for (i = 12; i <= NF; i++) rule = rule " " $i;
    if (!printable(rule)) fail("rule must be printable ASCII without quotes or backslashes");

    # parameter rows name their parent, which must come earlier
    if (kind in PARENT) {
        if (!is_name(param)) fail("a parameter row names its parameter (a NAME), not " param);
        pkey = tolower(pkg) SUBSEP tolower(item) SUBSEP "-" SUBSEP PARENT[kind];
        if (!(pkey in seen)) fail("parameter " param " of " pkg "/" item ": no earlier " PARENT[kind] " row " pkg "/" item);
    } else if (param != "-") {
        fail("only a parameter row has a parameter (column 3 must be -)");
    }
    key = tolower(pkg) SUBSEP tolower(item) SUBSEP tolower(param) SUBSEP kind;
    if (key in seen) fail("duplicate row " pkg "/" item (param == "-" ? "" : " " param) " (" kind ")");
    seen[key] = 1;
    pkg_seen[tolower(pkg)] = 1;

    # places
    np = split(places, pl, ",");
    if (np == 0) fail("no place");
    bits = ""; split("", pseen);
    for (i = 1; i <= np; i++) {
        if (!(pl[i] in PLACE)) { fail("unknown place " pl[i]); continue }
        if (!((kind, pl[i]) in FITS)) fail("a " kind " is not legal at " pl[i]);
        if (pl[i] in pseen) fail("place " pl[i] " twice");
        pseen[pl[i]] = 1;
        if (kind in PARENT && !((pkey, pl[i]) in parent_place))
            fail("parameter legal at " pl[i] " where its " PARENT[kind] " is not");
        bits = bits (bits == "" ? "" : " | ") "EMSEC_H248_PLACE_BIT(" PLACE[pl[i]] ")";
    }
    if (!(kind in PARENT))
        for (i = 1; i <= np; i++) parent_place[key, pl[i]] = 1;

    # type and domain
    lo = "0"; hi = "0"; vals = "&emsec_h248_profile_words[0]"; nv = 0;
    if (kind == "signal" || kind == "event") {
        if (type != "none") fail("a " kind " has type none (its parameters are rows)");
    } else if (type == "none") {
        fail("a " kind " has a value: type none is for signals and events");
    }
    if (type == "none" || type == "boolean") {
        if (dom != "-") fail("type " type " takes domain -");
    } else if (type == "enum") {
        nv = split(dom, w, "|");
        if (nv < 1 || nv > 255) fail("an enum has 1 to 255 words");
        split("", wseen);
        vals = "&emsec_h248_profile_words[" nwords "]";
        for (i = 1; i <= nv; i++) {
            if (w[i] !~ /^[A-Za-z0-9_]+$/) fail("enum word must be [A-Za-z0-9_]+: " w[i]);
            if (tolower(w[i]) in wseen) fail("enum word " w[i] " twice (case is ignored)");
            wseen[tolower(w[i])] = 1;
            words = words ", \"" w[i] "\"";
            nwords++;
        }
    } else {
        if (split(dom, b, "-") != 2 || !is_dec(b[1]) || !is_dec(b[2])) {
            fail("type " type " takes domain lo-hi (decimal, at most " U64MAX "), not " dom);
        } else {
            lo = strip0(b[1]); hi = strip0(b[2]);
            if (!dec_le(lo, hi)) fail("domain " dom ": lo > hi");
            if ((type == "hex" || type == "string") && !dec_le(hi, "65535"))
                fail("a " type " is at most 65535 octets");
            if (type == "string" && lo == "0") fail("a string has at least one octet (an empty value means no value)");
            if (type == "hex" && lo == "0") fail("a hex value has at least one octet (an empty value means no value)");
        }
    }

    # flags
    secret = $9; audit = $8; access = $10;
    if (secret == "yes" && kind != "property") fail("only a property can be secret");
    if (secret == "yes" && audit == "yes") fail("a secret row is never audited back (audit must be no)");
    if (kind == "property") {
        if (access != "rw" && access != "ro") fail("a property's access is rw or ro, not " access);
    } else if (kind == "statistic") {
        if (access != "ro") fail("a statistic is ro");
    } else if (access != "-") {
        fail("only properties and statistics have an access (column 10 must be -)");
    }

    n++;
    line[n] = sprintf("    { .row = %d, .package = \"%s\", .name = \"%s\", .param = \"%s\",\n" \
                      "      .kind = %s, .type = %s,\n" \
                      "      .places = %s,\n" \
                      "      .auditable = %s, .secret = %s, .read_only = %s,\n" \
                      "      .min = UINT64_C(%s), .max = UINT64_C(%s), .values = %s, .nvalues = %d,\n" \
                      "      .rule = \"%s\" },",
                      n, pkg, item, (param == "-" ? "" : param), KIND[kind], TYPE[type], bits,
                      YN[audit], YN[secret], (access == "ro" ? "true" : "false"),
                      lo, hi, vals, nv, rule);
}
END {
    if (bad) exit 1;
    if (n == 0) fail_file("no item rows");
    if (n > 65535) fail_file("more than 65535 item rows");
    if (ncode == 0) fail_file("no error code rows");
    if (bad) exit 1;
    print "/* GENERATED by `make gen` from spec/h248_profile.tbl by spec/h248_profile_gen.awk. DO NOT EDIT. */";
    print "#include <stdbool.h>";
    print "#include <stdint.h>";
    print "";
    print "#include \"h248_profile_table.h\"";
    print "";
    print "/* Every enumeration word, row after row; word 0 is \"\" for the rows that have none. */";
    print "const char *const emsec_h248_profile_words[" nwords "] = {";
    m = split(words, wl, ", ");
    for (i = 1; i <= m; i++) print "    " wl[i] ",";
    print "};";
    print "const uint32_t emsec_h248_profile_words_len = " nwords ";";
    print "";
    print "const emsec_h248_profile_row emsec_h248_profile_table[" n "] = {";
    for (i = 1; i <= n; i++) print line[i];
    print "};";
    print "const uint32_t emsec_h248_profile_table_len = " n ";";
    print "";
    print "const emsec_h248_code_row emsec_h248_code_table[" ncode "] = {";
    for (i = 1; i <= ncode; i++) print code_line[i];
    print "};";
    print "const uint32_t emsec_h248_code_table_len = " ncode ";";
}
