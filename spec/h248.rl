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
 * and the token machine, h248_scan_token(src, at, len, &tok) -> end: the
 * longest token spelling starting at `at`, and its token id (tokens below).
 *
 * Each machine is a static inline function (h248_scan_X_inl,
 * h248_match_X_inl) with an exported wrapper (h248_scan_X, h248_match_X)
 * that only calls it. core/h248_lex.h can compile this file into the decoder
 * with H248_LEX_INLINE_ONLY defined: the wrappers drop out and the decoder
 * calls (and GCC may inline) the machines themselves.
 *
 * Actions only record the end of the longest match so far (`last`) and, in
 * the token machine, the id of the spelling that ends there (`t`); none
 * moves p, allocates or casts away const. Case: B.2 says everything in the
 * text encoding is case insensitive, so every literal letter is matched with
 * 'x'i.
 */
#include <stdbool.h>
#include <stdint.h>

#include "h248_lex.h"
#include "h248_tokens_table.h"

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

static inline uint32_t h248_scan_lwsp_inl(const unsigned char *src, uint32_t at, uint32_t len, bool *open)
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

#ifndef H248_LEX_INLINE_ONLY
uint32_t h248_scan_lwsp(const unsigned char *src, uint32_t at, uint32_t len, bool *open)
{
    return h248_scan_lwsp_inl(src, at, len, open);
}
#endif

%%{
    machine h248_word;
    include h248_common;
    main := SafeChar+ @{ last = p + 1; };
    write data;
}%%

static inline uint32_t h248_scan_word_inl(const unsigned char *src, uint32_t at, uint32_t len, bool *open)
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

#ifndef H248_LEX_INLINE_ONLY
uint32_t h248_scan_word(const unsigned char *src, uint32_t at, uint32_t len, bool *open)
{
    return h248_scan_word_inl(src, at, len, open);
}
#endif

%%{
    machine h248_quoted;
    include h248_common;
    # B.2 quotedString = DQUOTE *(SafeChar / RestChar / WSP) DQUOTE
    main := '"' (SafeChar | RestChar | WSP)* '"' @{ last = p + 1; };
    write data;
}%%

static inline uint32_t h248_scan_quoted_inl(const unsigned char *src, uint32_t at, uint32_t len, bool *open)
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

#ifndef H248_LEX_INLINE_ONLY
uint32_t h248_scan_quoted(const unsigned char *src, uint32_t at, uint32_t len, bool *open)
{
    return h248_scan_quoted_inl(src, at, len, open);
}
#endif

%%{
    machine h248_octets;
    include h248_common;
    # B.2 octetString = *(nonEscapeChar); nonEscapeChar = "\}" / %x01-7C / %x7E-FF
    main := ('\\}' | (any - 0 - '}'))* @{ last = p + 1; };
    write data;
}%%

static inline uint32_t h248_scan_octets_inl(const unsigned char *src, uint32_t at, uint32_t len, bool *open)
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

#ifndef H248_LEX_INLINE_ONLY
uint32_t h248_scan_octets(const unsigned char *src, uint32_t at, uint32_t len, bool *open)
{
    return h248_scan_octets_inl(src, at, len, open);
}
#endif

%%{
    machine h248_mid;
    include h248_common;
    main := mId @{ last = p + 1; };
    write data;
}%%

static inline uint32_t h248_scan_mid_inl(const unsigned char *src, uint32_t at, uint32_t len, bool *open)
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

#ifndef H248_LEX_INLINE_ONLY
uint32_t h248_scan_mid(const unsigned char *src, uint32_t at, uint32_t len, bool *open)
{
    return h248_scan_mid_inl(src, at, len, open);
}
#endif

/* ------------------------------------------------------------ matchers */

/* Each matcher: true iff the machine accepts exactly s[0..n). */

%%{
    machine h248_name;
    include h248_common;
    main := NAME;
    write data;
}%%
static inline bool h248_match_name_inl(const unsigned char *s, uint32_t n)
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

#ifndef H248_LEX_INLINE_ONLY
bool h248_match_name(const unsigned char *s, uint32_t n)
{
    return h248_match_name_inl(s, n);
}
#endif

%%{
    machine h248_pkgdname;
    include h248_common;
    # B.2 pkgdName = PackageName SLASH ItemID / PackageName SLASH "*" / "*" SLASH "*"
    main := NAME '/' (NAME | '*') | '*/*';
    write data;
}%%
static inline bool h248_match_pkgdname_inl(const unsigned char *s, uint32_t n)
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

#ifndef H248_LEX_INLINE_ONLY
bool h248_match_pkgdname(const unsigned char *s, uint32_t n)
{
    return h248_match_pkgdname_inl(s, n);
}
#endif

%%{
    machine h248_termid;
    include h248_common;
    # B.2 TerminationID = "ROOT" / pathNAME / "$" / "*" ("ROOT" is a pathNAME)
    main := pathNAME | '$' | '*';
    write data;
}%%
static inline bool h248_match_termid_inl(const unsigned char *s, uint32_t n)
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

#ifndef H248_LEX_INLINE_ONLY
bool h248_match_termid(const unsigned char *s, uint32_t n)
{
    return h248_match_termid_inl(s, n);
}
#endif

%%{
    machine h248_timestamp;
    include h248_common;
    # B.2 TimeStamp = Date "T" Time; Date = 8(DIGIT); Time = 8(DIGIT)
    main := digit{8} 't'i digit{8};
    write data;
}%%
static inline bool h248_match_timestamp_inl(const unsigned char *s, uint32_t n)
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

#ifndef H248_LEX_INLINE_ONLY
bool h248_match_timestamp(const unsigned char *s, uint32_t n)
{
    return h248_match_timestamp_inl(s, n);
}
#endif

%%{
    machine h248_extension;
    include h248_common;
    # B.2 extensionParameter = "X" ("-" / "+") 1*6(ALPHA / DIGIT)
    main := 'x'i [\-+] alnum{1,6};
    write data;
}%%
static inline bool h248_match_extension_inl(const unsigned char *s, uint32_t n)
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

#ifndef H248_LEX_INLINE_ONLY
bool h248_match_extension(const unsigned char *s, uint32_t n)
{
    return h248_match_extension_inl(s, n);
}
#endif

%%{
    machine h248_package_item;
    include h248_common;
    # B.2 packagesItem = NAME "-" UINT16
    main := NAME '-' UINT16;
    write data;
}%%
static inline bool h248_match_package_item_inl(const unsigned char *s, uint32_t n)
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

#ifndef H248_LEX_INLINE_ONLY
bool h248_match_package_item(const unsigned char *s, uint32_t n)
{
    return h248_match_package_item_inl(s, n);
}
#endif

%%{
    machine h248_profile;
    include h248_common;
    # B.2 serviceChangeProfile value = NAME SLASH Version; Version = 1*2(DIGIT)
    main := NAME '/' digit{1,2};
    write data;
}%%
static inline bool h248_match_profile_inl(const unsigned char *s, uint32_t n)
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

#ifndef H248_LEX_INLINE_ONLY
bool h248_match_profile(const unsigned char *s, uint32_t n)
{
    return h248_match_profile_inl(s, n);
}
#endif

%%{
    machine h248_digitmap;
    include h248_common;
    main := digitMapValue;
    write data;
}%%
static inline bool h248_match_digitmap_inl(const unsigned char *s, uint32_t n)
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

#ifndef H248_LEX_INLINE_ONLY
bool h248_match_digitmap(const unsigned char *s, uint32_t n)
{
    return h248_match_digitmap_inl(s, n);
}
#endif

%%{
    machine h248_auth;
    include h248_common;
    # B.2 authenticationHeader values: SecurityParmIndex COLON SequenceNum
    # COLON AuthData, each "0x" + hex (8, 8 and 24..64 digits)
    main := '0x'i xdigit{8} ':' '0x'i xdigit{8} ':' '0x'i xdigit{24,64};
    write data;
}%%
static inline bool h248_match_auth_inl(const unsigned char *s, uint32_t n)
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

#ifndef H248_LEX_INLINE_ONLY
bool h248_match_auth(const unsigned char *s, uint32_t n)
{
    return h248_match_auth_inl(s, n);
}
#endif

/* ------------------------------------------------------------ tokens */

%%{
    machine h248_token;
    include h248_common;
    # Every spelling of an Annex B token (spec/h248_tokens.tbl: LONG and
    # SHORT), without regard to case, with the id it names: one DFA over all
    # of them, so that a word is looked up as it is read, and one that no
    # spelling starts like fails at its first byte. spec/h248_tokens_gen.awk
    # refuses to generate the token table when this list and the table
    # disagree, or when a spelling holds a byte that is not a SafeChar.
    tokens =
        'add'i                     @{ t = EMSEC_H248_TOK_ADD; }
      | 'a'i                       @{ t = EMSEC_H248_TOK_ADD; }
      | 'audit'i                   @{ t = EMSEC_H248_TOK_AUDIT; }
      | 'at'i                      @{ t = EMSEC_H248_TOK_AUDIT; }
      | 'auditcapability'i         @{ t = EMSEC_H248_TOK_AUDITCAP; }
      | 'ac'i                      @{ t = EMSEC_H248_TOK_AUDITCAP; }
      | 'auditvalue'i              @{ t = EMSEC_H248_TOK_AUDITVALUE; }
      | 'av'i                      @{ t = EMSEC_H248_TOK_AUDITVALUE; }
      | 'authentication'i          @{ t = EMSEC_H248_TOK_AUTH; }
      | 'au'i                      @{ t = EMSEC_H248_TOK_AUTH; }
      | 'bothway'i                 @{ t = EMSEC_H248_TOK_BOTHWAY; }
      | 'bw'i                      @{ t = EMSEC_H248_TOK_BOTHWAY; }
      | 'brief'i                   @{ t = EMSEC_H248_TOK_BRIEF; }
      | 'br'i                      @{ t = EMSEC_H248_TOK_BRIEF; }
      | 'buffer'i                  @{ t = EMSEC_H248_TOK_BUFFER; }
      | 'bf'i                      @{ t = EMSEC_H248_TOK_BUFFER; }
      | 'context'i                 @{ t = EMSEC_H248_TOK_CTX; }
      | 'c'i                       @{ t = EMSEC_H248_TOK_CTX; }
      | 'contextaudit'i            @{ t = EMSEC_H248_TOK_CONTEXTAUDIT; }
      | 'ca'i                      @{ t = EMSEC_H248_TOK_CONTEXTAUDIT; }
      | 'digitmap'i                @{ t = EMSEC_H248_TOK_DIGITMAP; }
      | 'dm'i                      @{ t = EMSEC_H248_TOK_DIGITMAP; }
      | 'disconnected'i            @{ t = EMSEC_H248_TOK_DISCONNECTED; }
      | 'dc'i                      @{ t = EMSEC_H248_TOK_DISCONNECTED; }
      | 'delay'i                   @{ t = EMSEC_H248_TOK_DELAY; }
      | 'dl'i                      @{ t = EMSEC_H248_TOK_DELAY; }
      | 'duration'i                @{ t = EMSEC_H248_TOK_DURATION; }
      | 'dr'i                      @{ t = EMSEC_H248_TOK_DURATION; }
      | 'embed'i                   @{ t = EMSEC_H248_TOK_EMBED; }
      | 'em'i                      @{ t = EMSEC_H248_TOK_EMBED; }
      | 'emergency'i               @{ t = EMSEC_H248_TOK_EMERGENCY; }
      | 'eg'i                      @{ t = EMSEC_H248_TOK_EMERGENCY; }
      | 'error'i                   @{ t = EMSEC_H248_TOK_ERROR; }
      | 'er'i                      @{ t = EMSEC_H248_TOK_ERROR; }
      | 'eventbuffer'i             @{ t = EMSEC_H248_TOK_EVENTBUFFER; }
      | 'eb'i                      @{ t = EMSEC_H248_TOK_EVENTBUFFER; }
      | 'events'i                  @{ t = EMSEC_H248_TOK_EVENTS; }
      | 'e'i                       @{ t = EMSEC_H248_TOK_EVENTS; }
      | 'failover'i                @{ t = EMSEC_H248_TOK_FAILOVER; }
      | 'fl'i                      @{ t = EMSEC_H248_TOK_FAILOVER; }
      | 'forced'i                  @{ t = EMSEC_H248_TOK_FORCED; }
      | 'fo'i                      @{ t = EMSEC_H248_TOK_FORCED; }
      | 'graceful'i                @{ t = EMSEC_H248_TOK_GRACEFUL; }
      | 'gr'i                      @{ t = EMSEC_H248_TOK_GRACEFUL; }
      | 'h221'i                    @{ t = EMSEC_H248_TOK_H221; }
      | 'h223'i                    @{ t = EMSEC_H248_TOK_H223; }
      | 'h226'i                    @{ t = EMSEC_H248_TOK_H226; }
      | 'handoff'i                 @{ t = EMSEC_H248_TOK_HANDOFF; }
      | 'ho'i                      @{ t = EMSEC_H248_TOK_HANDOFF; }
      | 'immackrequired'i          @{ t = EMSEC_H248_TOK_IMMACKREQUIRED; }
      | 'ia'i                      @{ t = EMSEC_H248_TOK_IMMACKREQUIRED; }
      | 'inactive'i                @{ t = EMSEC_H248_TOK_INACTIVE; }
      | 'in'i                      @{ t = EMSEC_H248_TOK_INACTIVE; }
      | 'isolate'i                 @{ t = EMSEC_H248_TOK_ISOLATE; }
      | 'is'i                      @{ t = EMSEC_H248_TOK_ISOLATE; }
      | 'inservice'i               @{ t = EMSEC_H248_TOK_INSVC; }
      | 'iv'i                      @{ t = EMSEC_H248_TOK_INSVC; }
      | 'intbyevent'i              @{ t = EMSEC_H248_TOK_INTBYEVENT; }
      | 'ibe'i                     @{ t = EMSEC_H248_TOK_INTBYEVENT; }
      | 'intbysigdescr'i           @{ t = EMSEC_H248_TOK_INTBYSIGDESCR; }
      | 'ibs'i                     @{ t = EMSEC_H248_TOK_INTBYSIGDESCR; }
      | 'keepactive'i              @{ t = EMSEC_H248_TOK_KEEPACTIVE; }
      | 'ka'i                      @{ t = EMSEC_H248_TOK_KEEPACTIVE; }
      | 'local'i                   @{ t = EMSEC_H248_TOK_LOCAL; }
      | 'l'i                       @{ t = EMSEC_H248_TOK_LOCAL; }
      | 'localcontrol'i            @{ t = EMSEC_H248_TOK_LOCALCONTROL; }
      | 'o'i                       @{ t = EMSEC_H248_TOK_LOCALCONTROL; }
      | 'lockstep'i                @{ t = EMSEC_H248_TOK_LOCKSTEP; }
      | 'sp'i                      @{ t = EMSEC_H248_TOK_LOCKSTEP; }
      | 'loopback'i                @{ t = EMSEC_H248_TOK_LOOPBACK; }
      | 'lb'i                      @{ t = EMSEC_H248_TOK_LOOPBACK; }
      | 'media'i                   @{ t = EMSEC_H248_TOK_MEDIA; }
      | 'm'i                       @{ t = EMSEC_H248_TOK_MEDIA; }
      | 'megaco'i                  @{ t = EMSEC_H248_TOK_MEGACOP; }
      | '!'i                       @{ t = EMSEC_H248_TOK_MEGACOP; }
      | 'method'i                  @{ t = EMSEC_H248_TOK_METHOD; }
      | 'mt'i                      @{ t = EMSEC_H248_TOK_METHOD; }
      | 'mgcidtotry'i              @{ t = EMSEC_H248_TOK_MGCID; }
      | 'mg'i                      @{ t = EMSEC_H248_TOK_MGCID; }
      | 'mode'i                    @{ t = EMSEC_H248_TOK_MODE; }
      | 'mo'i                      @{ t = EMSEC_H248_TOK_MODE; }
      | 'modify'i                  @{ t = EMSEC_H248_TOK_MODIFY; }
      | 'mf'i                      @{ t = EMSEC_H248_TOK_MODIFY; }
      | 'modem'i                   @{ t = EMSEC_H248_TOK_MODEM; }
      | 'md'i                      @{ t = EMSEC_H248_TOK_MODEM; }
      | 'move'i                    @{ t = EMSEC_H248_TOK_MOVE; }
      | 'mv'i                      @{ t = EMSEC_H248_TOK_MOVE; }
      | 'mtp'i                     @{ t = EMSEC_H248_TOK_MTP; }
      | 'mux'i                     @{ t = EMSEC_H248_TOK_MUX; }
      | 'mx'i                      @{ t = EMSEC_H248_TOK_MUX; }
      | 'notify'i                  @{ t = EMSEC_H248_TOK_NOTIFY; }
      | 'n'i                       @{ t = EMSEC_H248_TOK_NOTIFY; }
      | 'notifycompletion'i        @{ t = EMSEC_H248_TOK_NOTIFYCOMPLETION; }
      | 'nc'i                      @{ t = EMSEC_H248_TOK_NOTIFYCOMPLETION; }
      | 'observedevents'i          @{ t = EMSEC_H248_TOK_OBSERVEDEVENTS; }
      | 'oe'i                      @{ t = EMSEC_H248_TOK_OBSERVEDEVENTS; }
      | 'oneway'i                  @{ t = EMSEC_H248_TOK_ONEWAY; }
      | 'ow'i                      @{ t = EMSEC_H248_TOK_ONEWAY; }
      | 'onoff'i                   @{ t = EMSEC_H248_TOK_ONOFF; }
      | 'oo'i                      @{ t = EMSEC_H248_TOK_ONOFF; }
      | 'otherreason'i             @{ t = EMSEC_H248_TOK_OTHERREASON; }
      | 'or'i                      @{ t = EMSEC_H248_TOK_OTHERREASON; }
      | 'outofservice'i            @{ t = EMSEC_H248_TOK_OUTOFSVC; }
      | 'os'i                      @{ t = EMSEC_H248_TOK_OUTOFSVC; }
      | 'packages'i                @{ t = EMSEC_H248_TOK_PACKAGES; }
      | 'pg'i                      @{ t = EMSEC_H248_TOK_PACKAGES; }
      | 'pending'i                 @{ t = EMSEC_H248_TOK_PENDING; }
      | 'pn'i                      @{ t = EMSEC_H248_TOK_PENDING; }
      | 'priority'i                @{ t = EMSEC_H248_TOK_PRIORITY; }
      | 'pr'i                      @{ t = EMSEC_H248_TOK_PRIORITY; }
      | 'profile'i                 @{ t = EMSEC_H248_TOK_PROFILE; }
      | 'pf'i                      @{ t = EMSEC_H248_TOK_PROFILE; }
      | 'reason'i                  @{ t = EMSEC_H248_TOK_REASON; }
      | 're'i                      @{ t = EMSEC_H248_TOK_REASON; }
      | 'receiveonly'i             @{ t = EMSEC_H248_TOK_RECVONLY; }
      | 'rc'i                      @{ t = EMSEC_H248_TOK_RECVONLY; }
      | 'reply'i                   @{ t = EMSEC_H248_TOK_REPLY; }
      | 'p'i                       @{ t = EMSEC_H248_TOK_REPLY; }
      | 'restart'i                 @{ t = EMSEC_H248_TOK_RESTART; }
      | 'rs'i                      @{ t = EMSEC_H248_TOK_RESTART; }
      | 'remote'i                  @{ t = EMSEC_H248_TOK_REMOTE; }
      | 'r'i                       @{ t = EMSEC_H248_TOK_REMOTE; }
      | 'reservedgroup'i           @{ t = EMSEC_H248_TOK_RESERVEDGROUP; }
      | 'rg'i                      @{ t = EMSEC_H248_TOK_RESERVEDGROUP; }
      | 'reservedvalue'i           @{ t = EMSEC_H248_TOK_RESERVEDVALUE; }
      | 'rv'i                      @{ t = EMSEC_H248_TOK_RESERVEDVALUE; }
      | 'sendonly'i                @{ t = EMSEC_H248_TOK_SENDONLY; }
      | 'so'i                      @{ t = EMSEC_H248_TOK_SENDONLY; }
      | 'sendreceive'i             @{ t = EMSEC_H248_TOK_SENDRECV; }
      | 'sr'i                      @{ t = EMSEC_H248_TOK_SENDRECV; }
      | 'services'i                @{ t = EMSEC_H248_TOK_SERVICES; }
      | 'sv'i                      @{ t = EMSEC_H248_TOK_SERVICES; }
      | 'servicestates'i           @{ t = EMSEC_H248_TOK_SERVICESTATES; }
      | 'si'i                      @{ t = EMSEC_H248_TOK_SERVICESTATES; }
      | 'servicechange'i           @{ t = EMSEC_H248_TOK_SERVICECHANGE; }
      | 'sc'i                      @{ t = EMSEC_H248_TOK_SERVICECHANGE; }
      | 'servicechangeaddress'i    @{ t = EMSEC_H248_TOK_SERVICECHANGEADDRESS; }
      | 'ad'i                      @{ t = EMSEC_H248_TOK_SERVICECHANGEADDRESS; }
      | 'signallist'i              @{ t = EMSEC_H248_TOK_SIGNALLIST; }
      | 'sl'i                      @{ t = EMSEC_H248_TOK_SIGNALLIST; }
      | 'signals'i                 @{ t = EMSEC_H248_TOK_SIGNALS; }
      | 'sg'i                      @{ t = EMSEC_H248_TOK_SIGNALS; }
      | 'signaltype'i              @{ t = EMSEC_H248_TOK_SIGNALTYPE; }
      | 'sy'i                      @{ t = EMSEC_H248_TOK_SIGNALTYPE; }
      | 'statistics'i              @{ t = EMSEC_H248_TOK_STATS; }
      | 'sa'i                      @{ t = EMSEC_H248_TOK_STATS; }
      | 'stream'i                  @{ t = EMSEC_H248_TOK_STREAM; }
      | 'st'i                      @{ t = EMSEC_H248_TOK_STREAM; }
      | 'subtract'i                @{ t = EMSEC_H248_TOK_SUBTRACT; }
      | 's'i                       @{ t = EMSEC_H248_TOK_SUBTRACT; }
      | 'synchisdn'i               @{ t = EMSEC_H248_TOK_SYNCHISDN; }
      | 'sn'i                      @{ t = EMSEC_H248_TOK_SYNCHISDN; }
      | 'terminationstate'i        @{ t = EMSEC_H248_TOK_TERMINATIONSTATE; }
      | 'ts'i                      @{ t = EMSEC_H248_TOK_TERMINATIONSTATE; }
      | 'test'i                    @{ t = EMSEC_H248_TOK_TEST; }
      | 'te'i                      @{ t = EMSEC_H248_TOK_TEST; }
      | 'timeout'i                 @{ t = EMSEC_H248_TOK_TIMEOUT; }
      | 'to'i                      @{ t = EMSEC_H248_TOK_TIMEOUT; }
      | 'topology'i                @{ t = EMSEC_H248_TOK_TOPOLOGY; }
      | 'tp'i                      @{ t = EMSEC_H248_TOK_TOPOLOGY; }
      | 'transaction'i             @{ t = EMSEC_H248_TOK_TRANS; }
      | 't'i                       @{ t = EMSEC_H248_TOK_TRANS; }
      | 'transactionresponseack'i  @{ t = EMSEC_H248_TOK_RESPONSEACK; }
      | 'k'i                       @{ t = EMSEC_H248_TOK_RESPONSEACK; }
      | 'v18'i                     @{ t = EMSEC_H248_TOK_V18; }
      | 'v22'i                     @{ t = EMSEC_H248_TOK_V22; }
      | 'v22b'i                    @{ t = EMSEC_H248_TOK_V22BIS; }
      | 'v32'i                     @{ t = EMSEC_H248_TOK_V32; }
      | 'v32b'i                    @{ t = EMSEC_H248_TOK_V32BIS; }
      | 'v34'i                     @{ t = EMSEC_H248_TOK_V34; }
      | 'v76'i                     @{ t = EMSEC_H248_TOK_V76; }
      | 'v90'i                     @{ t = EMSEC_H248_TOK_V90; }
      | 'v91'i                     @{ t = EMSEC_H248_TOK_V91; }
      | 'version'i                 @{ t = EMSEC_H248_TOK_VERSION; }
      | 'v'i                       @{ t = EMSEC_H248_TOK_VERSION; }
      | 'on'i                      @{ t = EMSEC_H248_TOK_ON; }
      | 'off'i                     @{ t = EMSEC_H248_TOK_OFF; }
      | 'emergencyoff'i            @{ t = EMSEC_H248_TOK_EMERGENCYOFF; }
      | 'ego'i                     @{ t = EMSEC_H248_TOK_EMERGENCYOFF; }
      | 'nx64kservice'i            @{ t = EMSEC_H248_TOK_NX64K; }
      | 'n64'i                     @{ t = EMSEC_H248_TOK_NX64K; }
      | 'andlgc'i                  @{ t = EMSEC_H248_TOK_ANDAUDITSELECT; }
      | 'both'i                    @{ t = EMSEC_H248_TOK_BOTH; }
      | 'b'i                       @{ t = EMSEC_H248_TOK_BOTH; }
      | 'contextattr'i             @{ t = EMSEC_H248_TOK_CONTEXTATTR; }
      | 'ct'i                      @{ t = EMSEC_H248_TOK_CONTEXTATTR; }
      | 'contextlist'i             @{ t = EMSEC_H248_TOK_CONTEXTLIST; }
      | 'clt'i                     @{ t = EMSEC_H248_TOK_CONTEXTLIST; }
      | 'spadirection'i            @{ t = EMSEC_H248_TOK_DIRECTION; }
      | 'spadi'i                   @{ t = EMSEC_H248_TOK_DIRECTION; }
      | 'emergencyvalue'i          @{ t = EMSEC_H248_TOK_EMERGENCYVALUE; }
      | 'egv'i                     @{ t = EMSEC_H248_TOK_EMERGENCYVALUE; }
      | 'external'i                @{ t = EMSEC_H248_TOK_EXTERNAL; }
      | 'ex'i                      @{ t = EMSEC_H248_TOK_EXTERNAL; }
      | 'iepscall'i                @{ t = EMSEC_H248_TOK_IEPS; }
      | 'ieps'i                    @{ t = EMSEC_H248_TOK_IEPS; }
      | 'internal'i                @{ t = EMSEC_H248_TOK_INTERNAL; }
      | 'it'i                      @{ t = EMSEC_H248_TOK_INTERNAL; }
      | 'intersignal'i             @{ t = EMSEC_H248_TOK_INTSIGDELAY; }
      | 'spais'i                   @{ t = EMSEC_H248_TOK_INTSIGDELAY; }
      | 'iteration'i               @{ t = EMSEC_H248_TOK_ITERATION; }
      | 'ir'i                      @{ t = EMSEC_H248_TOK_ITERATION; }
      | 'segment'i                 @{ t = EMSEC_H248_TOK_MESSAGESEGMENT; }
      | 'sm'i                      @{ t = EMSEC_H248_TOK_MESSAGESEGMENT; }
      | 'nevernotify'i             @{ t = EMSEC_H248_TOK_NEVERNOTIFY; }
      | 'nbnn'i                    @{ t = EMSEC_H248_TOK_NEVERNOTIFY; }
      | 'immediatenotify'i         @{ t = EMSEC_H248_TOK_NOTIFYIMMEDIATE; }
      | 'nbin'i                    @{ t = EMSEC_H248_TOK_NOTIFYIMMEDIATE; }
      | 'regulatednotify'i         @{ t = EMSEC_H248_TOK_NOTIFYREGULATED; }
      | 'nbrn'i                    @{ t = EMSEC_H248_TOK_NOTIFYREGULATED; }
      | 'onewayboth'i              @{ t = EMSEC_H248_TOK_ONEWAYBOTH; }
      | 'owb'i                     @{ t = EMSEC_H248_TOK_ONEWAYBOTH; }
      | 'onewayexternal'i          @{ t = EMSEC_H248_TOK_ONEWAYEXTERNAL; }
      | 'owe'i                     @{ t = EMSEC_H248_TOK_ONEWAYEXTERNAL; }
      | 'orlgc'i                   @{ t = EMSEC_H248_TOK_ORAUDITSELECT; }
      | 'sparequestid'i            @{ t = EMSEC_H248_TOK_REQUESTID; }
      | 'sparq'i                   @{ t = EMSEC_H248_TOK_REQUESTID; }
      | 'reseteventsdescriptor'i   @{ t = EMSEC_H248_TOK_RESETEVENTSDESCRIPTOR; }
      | 'rse'i                     @{ t = EMSEC_H248_TOK_RESETEVENTSDESCRIPTOR; }
      | 'end'i                     @{ t = EMSEC_H248_TOK_SEGMENTATIONCOMPLETE; }
      | '&'i                       @{ t = EMSEC_H248_TOK_SEGMENTATIONCOMPLETE; }
      | 'servicechangeinc'i        @{ t = EMSEC_H248_TOK_SERVICECHANGEINC; }
      | 'sic'i                     @{ t = EMSEC_H248_TOK_SERVICECHANGEINC; };
    main := tokens @{ last = p + 1; };
    write data;
}%%

/* Scanner: the end of the longest token spelling that starts at `at` (== at
 * when none), and in *tok the token it spells (left alone when none). Each
 * spelling's action names its token on the transition into the final state
 * where it ends (the table has no spelling twice, so one action per such
 * transition); `last` is set on the same transitions, so *tok always names
 * the spelling that ends at `last`. A word is a token iff this end is the
 * word's end: spellings are SafeChars, so the word scanner continues from it.
 *   requires: at <= len; src readable on [0, len).
 *   ensures:  at <= result <= len. */
static inline uint32_t h248_scan_token_inl(const unsigned char *src, uint32_t at, uint32_t len, uint16_t *tok)
{
    const unsigned char *p = src + at;
    const unsigned char *pe = src + len;
    const unsigned char *last = p;
    uint16_t t = *tok;
    int cs;
    (void)h248_token_first_final;
    (void)h248_token_en_main;
    (void)h248_token_error;
    %% write init;
    %% write exec;
    *tok = t;
    return (uint32_t)(last - src);
}

#ifndef H248_LEX_INLINE_ONLY
uint32_t h248_scan_token(const unsigned char *src, uint32_t at, uint32_t len, uint16_t *tok)
{
    return h248_scan_token_inl(src, at, len, tok);
}
#endif

#pragma GCC diagnostic pop
