/*
 * spec/h248.rl: the lexical productions of H.248.1 Annex B (text encoding),
 * as printed in RFC 3525 §B.2, plus the version 2 digit-map Z timer.
 *
 * Every machine here reads a flat lexeme; the bracketed productions (which
 * item may stand inside which braces) are the table spec/h248_grammar.tbl,
 * walked by core/h248_decode.c.
 *
 * Two kinds of machine:
 *   scanners  h248_scan_*(src, at, len, &open) -> end: the longest match
 *             starting at `at` (end == at when nothing matches). `open` is
 *             true when the input ended while the machine could still read
 *             more: the caller then waits for more bytes instead of deciding.
 *   matchers  h248_match_*(s, n) -> true iff the whole of s[0..n) matches.
 *
 * Actions only record the end of the longest match so far (`last`); none
 * moves p, allocates or casts away const. Case: B.2 says everything in the
 * text encoding is case insensitive, so every literal letter is matched with
 * 'x'i.
 */
#include <stdbool.h>
#include <stdint.h>

#include "h248_lex.h"

%%{
    machine h248_common;
    alphtype unsigned char;

    # B.2 terminals
    SafeChar  = alnum | [+\-&!_/'?@^`~*$\\()%|.];
    RestChar  = [;\[\]{}:,#<>=];
    WSP       = [ \t];
    EOL       = '\r' '\n'? | '\n';
    COMMENT   = ';' (SafeChar | RestChar | WSP | '"')* EOL;
    LWSP      = (WSP | COMMENT | EOL)*;
    NAME      = alpha (alnum | '_'){0,63};
    UINT16    = digit{1,5};
    UINT32    = digit{1,10};

    # mId (B.2 mId, domainAddress, domainName, mtpAddress, deviceName)
    V4hex          = digit{1,3};
    IPv4address    = V4hex '.' V4hex '.' V4hex '.' V4hex;
    hex4           = xdigit{1,4};
    hexseq         = hex4 (':' hex4)*;
    hexpart        = hexseq '::' hexseq? | '::' hexseq? | hexseq;
    IPv6address    = hexpart (':' IPv4address)?;
    domainAddress  = '[' (IPv4address | IPv6address) ']';
    domainName     = '<' alnum (alnum | [\-.]){0,63} '>';
    portNumber     = UINT16;
    mtpAddress     = 'MTP'i LWSP '{' LWSP xdigit{4,8} LWSP '}';
    pathDomainName = (alnum | '*') (alnum | [\-*.]){0,63};
    pathNAME       = '*'? NAME ([/*_$] | alnum)* ('@' pathDomainName)?;
    mId            = (domainAddress | domainName) (':' portNumber)?
                   | mtpAddress
                   | pathNAME;

    # digitMapValue (B.2), with version 2's Z timer
    digitMapLetter = digit | [a-kA-K] | 'l'i | 's'i | 'z'i;
    digitLetter    = (digit '-' digit | digitMapLetter)*;
    digitMapRange  = 'x'i | LWSP '[' LWSP digitLetter LWSP ']' LWSP;
    digitPosition  = digitMapLetter | digitMapRange;
    digitString    = (digitPosition '.'?)+;
    digitStringList = digitString (LWSP '|' LWSP digitString)*;
    digitMap       = digitString | LWSP '(' LWSP digitStringList LWSP ')' LWSP;
    COMMA          = LWSP ',' LWSP;
    Timer          = digit{1,2};
    digitMapValue  = LWSP ('t'i ':' Timer COMMA)? ('s'i ':' Timer COMMA)?
                     ('l'i ':' Timer COMMA)? ('z'i ':' Timer COMMA)?
                     digitMap LWSP;
}%%

/*
 * Ragel -G2 lays the states out in one switch whose cases fall through on
 * purpose; generated code cannot carry fallthrough markers, so GCC's
 * -Wimplicit-fallthrough is off for this file's machines.
 */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wimplicit-fallthrough"

/* ------------------------------------------------------------ scanners */

%%{
    machine h248_lwsp;
    include h248_common;
    main := LWSP @{ last = p + 1; };
    write data;
}%%

uint32_t h248_scan_lwsp(const unsigned char *src, uint32_t at, uint32_t len, bool *open)
{
    const unsigned char *p = src + at;
    const unsigned char *pe = src + len;
    const unsigned char *last = p;
    int cs;
    (void)h248_lwsp_first_final;
    (void)h248_lwsp_en_main;
    %% write init;
    %% write exec;
    *open = (p == pe) && (cs != h248_lwsp_error);
    return (uint32_t)(last - src);
}

%%{
    machine h248_word;
    include h248_common;
    main := SafeChar+ @{ last = p + 1; };
    write data;
}%%

uint32_t h248_scan_word(const unsigned char *src, uint32_t at, uint32_t len, bool *open)
{
    const unsigned char *p = src + at;
    const unsigned char *pe = src + len;
    const unsigned char *last = p;
    int cs;
    (void)h248_word_first_final;
    (void)h248_word_en_main;
    %% write init;
    %% write exec;
    *open = (p == pe) && (cs != h248_word_error);
    return (uint32_t)(last - src);
}

%%{
    machine h248_quoted;
    include h248_common;
    # B.2 quotedString = DQUOTE *(SafeChar / RestChar / WSP) DQUOTE
    main := '"' (SafeChar | RestChar | WSP)* '"' @{ last = p + 1; };
    write data;
}%%

uint32_t h248_scan_quoted(const unsigned char *src, uint32_t at, uint32_t len, bool *open)
{
    const unsigned char *p = src + at;
    const unsigned char *pe = src + len;
    const unsigned char *last = p;
    int cs;
    (void)h248_quoted_first_final;
    (void)h248_quoted_en_main;
    %% write init;
    %% write exec;
    *open = (p == pe) && (cs != h248_quoted_error);
    return (uint32_t)(last - src);
}

%%{
    machine h248_octets;
    include h248_common;
    # B.2 octetString = *(nonEscapeChar); nonEscapeChar = "\}" / %x01-7C / %x7E-FF
    main := ('\\}' | (any - 0 - '}'))* @{ last = p + 1; };
    write data;
}%%

uint32_t h248_scan_octets(const unsigned char *src, uint32_t at, uint32_t len, bool *open)
{
    const unsigned char *p = src + at;
    const unsigned char *pe = src + len;
    const unsigned char *last = p;
    int cs;
    (void)h248_octets_first_final;
    (void)h248_octets_en_main;
    %% write init;
    %% write exec;
    *open = (p == pe) && (cs != h248_octets_error);
    return (uint32_t)(last - src);
}

%%{
    machine h248_mid;
    include h248_common;
    main := mId @{ last = p + 1; };
    write data;
}%%

uint32_t h248_scan_mid(const unsigned char *src, uint32_t at, uint32_t len, bool *open)
{
    const unsigned char *p = src + at;
    const unsigned char *pe = src + len;
    const unsigned char *last = p;
    int cs;
    (void)h248_mid_first_final;
    (void)h248_mid_en_main;
    %% write init;
    %% write exec;
    *open = (p == pe) && (cs != h248_mid_error);
    return (uint32_t)(last - src);
}

/* ------------------------------------------------------------ matchers */

/* Each matcher: true iff the machine accepts exactly s[0..n). */

%%{
    machine h248_name;
    include h248_common;
    main := NAME;
    write data;
}%%
bool h248_match_name(const unsigned char *s, uint32_t n)
{
    const unsigned char *p = s;
    const unsigned char *pe = s + n;
    int cs;
    (void)h248_name_en_main;
    (void)h248_name_error;
    %% write init;
    %% write exec;
    return p == pe && cs >= h248_name_first_final;
}

%%{
    machine h248_pkgdname;
    include h248_common;
    # B.2 pkgdName = PackageName SLASH ItemID / PackageName SLASH "*" / "*" SLASH "*"
    main := NAME '/' (NAME | '*') | '*/*';
    write data;
}%%
bool h248_match_pkgdname(const unsigned char *s, uint32_t n)
{
    const unsigned char *p = s;
    const unsigned char *pe = s + n;
    int cs;
    (void)h248_pkgdname_en_main;
    (void)h248_pkgdname_error;
    %% write init;
    %% write exec;
    return p == pe && cs >= h248_pkgdname_first_final;
}

%%{
    machine h248_termid;
    include h248_common;
    # B.2 TerminationID = "ROOT" / pathNAME / "$" / "*" ("ROOT" is a pathNAME)
    main := pathNAME | '$' | '*';
    write data;
}%%
bool h248_match_termid(const unsigned char *s, uint32_t n)
{
    const unsigned char *p = s;
    const unsigned char *pe = s + n;
    int cs;
    (void)h248_termid_en_main;
    (void)h248_termid_error;
    %% write init;
    %% write exec;
    return p == pe && cs >= h248_termid_first_final;
}

%%{
    machine h248_timestamp;
    include h248_common;
    # B.2 TimeStamp = Date "T" Time; Date = 8(DIGIT); Time = 8(DIGIT)
    main := digit{8} 't'i digit{8};
    write data;
}%%
bool h248_match_timestamp(const unsigned char *s, uint32_t n)
{
    const unsigned char *p = s;
    const unsigned char *pe = s + n;
    int cs;
    (void)h248_timestamp_en_main;
    (void)h248_timestamp_error;
    %% write init;
    %% write exec;
    return p == pe && cs >= h248_timestamp_first_final;
}

%%{
    machine h248_extension;
    include h248_common;
    # B.2 extensionParameter = "X" ("-" / "+") 1*6(ALPHA / DIGIT)
    main := 'x'i [\-+] alnum{1,6};
    write data;
}%%
bool h248_match_extension(const unsigned char *s, uint32_t n)
{
    const unsigned char *p = s;
    const unsigned char *pe = s + n;
    int cs;
    (void)h248_extension_en_main;
    (void)h248_extension_error;
    %% write init;
    %% write exec;
    return p == pe && cs >= h248_extension_first_final;
}

%%{
    machine h248_package_item;
    include h248_common;
    # B.2 packagesItem = NAME "-" UINT16
    main := NAME '-' UINT16;
    write data;
}%%
bool h248_match_package_item(const unsigned char *s, uint32_t n)
{
    const unsigned char *p = s;
    const unsigned char *pe = s + n;
    int cs;
    (void)h248_package_item_en_main;
    (void)h248_package_item_error;
    %% write init;
    %% write exec;
    return p == pe && cs >= h248_package_item_first_final;
}

%%{
    machine h248_profile;
    include h248_common;
    # B.2 serviceChangeProfile value = NAME SLASH Version; Version = 1*2(DIGIT)
    main := NAME '/' digit{1,2};
    write data;
}%%
bool h248_match_profile(const unsigned char *s, uint32_t n)
{
    const unsigned char *p = s;
    const unsigned char *pe = s + n;
    int cs;
    (void)h248_profile_en_main;
    (void)h248_profile_error;
    %% write init;
    %% write exec;
    return p == pe && cs >= h248_profile_first_final;
}

%%{
    machine h248_digitmap;
    include h248_common;
    main := digitMapValue;
    write data;
}%%
bool h248_match_digitmap(const unsigned char *s, uint32_t n)
{
    const unsigned char *p = s;
    const unsigned char *pe = s + n;
    int cs;
    (void)h248_digitmap_en_main;
    (void)h248_digitmap_error;
    %% write init;
    %% write exec;
    return p == pe && cs >= h248_digitmap_first_final;
}

%%{
    machine h248_auth;
    include h248_common;
    # B.2 authenticationHeader values: SecurityParmIndex COLON SequenceNum
    # COLON AuthData, each "0x" + hex (8, 8 and 24..64 digits)
    main := '0x'i xdigit{8} ':' '0x'i xdigit{8} ':' '0x'i xdigit{24,64};
    write data;
}%%
bool h248_match_auth(const unsigned char *s, uint32_t n)
{
    const unsigned char *p = s;
    const unsigned char *pe = s + n;
    int cs;
    (void)h248_auth_en_main;
    (void)h248_auth_error;
    %% write init;
    %% write exec;
    return p == pe && cs >= h248_auth_first_final;
}

#pragma GCC diagnostic pop
