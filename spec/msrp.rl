/*
 * spec/msrp.rl: the MSRP header block (RFC 4975 §9 ABNF; Use-Path from
 * RFC 4976 §4.2): the start line, To-Path and From-Path (first and second,
 * as `headers` orders them), the typed headers and any other header as a
 * span; the block ends at the empty line before a body or at the first byte
 * of an end-line.
 *
 * Grammar only. Every action is one line: it sets the rule in force,
 * records an offset, or calls a named helper of core/msrp_internal.h (each
 * with its contract there); a helper that can refuse has recorded the error
 * when it returns false, and the action stops the machine with fbreak; a
 * field that cannot be refused goes through msrp_set(), which returns
 * nothing (no fbreak that could never run).
 * No action allocates, moves p (other than fbreak) or casts away const.
 *
 * The end-line and the body are NOT in this machine: the end-line repeats
 * the transaction id, which no regular grammar can check, and a body is any
 * bytes. Both are matched by hand-written C around the machine
 * (core/msrp_frame.c). Here a line that begins with '-' ends the header
 * block (a header name begins with ALPHA, RFC 4975 §9 hname), and the
 * framer reads the end-line from that byte on.
 *
 * Error reporting: fr->rule names the construct being read; when no
 * transition exists the machine stops in its error state with p on the
 * failing byte, and the code after `write exec` records (offset of that
 * byte, fr->rule). There is no $err action: the machine never sees EOF (a
 * block ends at a byte), so the EOF half of a $err action would be code
 * that can never run, and the Eva harness requires every statement reached.
 * Resync point: none; failure is absorbing until re-init.
 *
 * Offsets: the machine runs over the framer's copy of the header block
 * (fr->hdr); OFF is the offset of the byte under p in it.
 */
#include <stddef.h>
#include <stdint.h>

#include "msrp_internal.h"

#define OFF ((uint32_t)(p - fr->hdr))

%%{
    machine msrp;
    alphtype unsigned char;
    variable cs fr->cs;

    # ------------------------------------------------------------ actions
    action mk        { fr->mark = OFF; }
    action mk_next   { fr->mark = OFF + 1u; }
    action r_tid     { fr->rule = EMSEC_MSRP_RULE_TRANSACTION_ID; }
    action r_method  { fr->rule = EMSEC_MSRP_RULE_METHOD; }
    action r_start   { fr->rule = EMSEC_MSRP_RULE_START_LINE; }
    action r_status  { fr->rule = EMSEC_MSRP_RULE_STATUS_CODE; }
    action r_uri     { fr->rule = EMSEC_MSRP_RULE_URI; }
    action tid       { msrp_set(fr, MSRP_S_TID, OFF); }
    action method    { msrp_set(fr, MSRP_S_METHOD, OFF); }
    action status    { if (!msrp_field(fr, MSRP_F_STATUS, OFF)) fbreak; }
    action comment   { msrp_set(fr, MSRP_S_COMMENT, OFF); }
    action sl_cr     { msrp_set(fr, MSRP_S_START_LINE, OFF); }
    action sl_lf     { fr->rule = EMSEC_MSRP_RULE_TO_PATH; }

    action hb        { if (!msrp_header_begin(fr, OFF)) fbreak; }
    action hn_to     { if (!msrp_header_name(fr, EMSEC_MSRP_H_TO_PATH, OFF)) fbreak; }
    action hn_from   { if (!msrp_header_name(fr, EMSEC_MSRP_H_FROM_PATH, OFF)) fbreak; }
    action hn_mid    { if (!msrp_header_name(fr, EMSEC_MSRP_H_MESSAGE_ID, OFF)) fbreak; }
    action hn_br     { if (!msrp_header_name(fr, EMSEC_MSRP_H_BYTE_RANGE, OFF)) fbreak; }
    action hn_sr     { if (!msrp_header_name(fr, EMSEC_MSRP_H_SUCCESS_REPORT, OFF)) fbreak; }
    action hn_fr     { if (!msrp_header_name(fr, EMSEC_MSRP_H_FAILURE_REPORT, OFF)) fbreak; }
    action hn_st     { if (!msrp_header_name(fr, EMSEC_MSRP_H_STATUS, OFF)) fbreak; }
    action hn_ct     { if (!msrp_header_name(fr, EMSEC_MSRP_H_CONTENT_TYPE, OFF)) fbreak; }
    action hn_up     { if (!msrp_header_name(fr, EMSEC_MSRP_H_USE_PATH, OFF)) fbreak; }
    action hn_other  { if (!msrp_header_name(fr, EMSEC_MSRP_H_OTHER, OFF)) fbreak; }
    action hv        { fr->val_start = OFF + 1u; }
    action hl_cr     { if (!msrp_header_end(fr, OFF)) fbreak; }
    action hl_lf     { msrp_line_next(fr); }

    action uri       { if (!msrp_field(fr, MSRP_F_URI, OFF)) fbreak; }
    action mid       { msrp_set(fr, MSRP_S_MESSAGE_ID, OFF); }
    action br_start  { if (!msrp_field(fr, MSRP_F_RANGE_START, OFF)) fbreak; }
    action br_end    { if (!msrp_field(fr, MSRP_F_RANGE_END, OFF)) fbreak; }
    action br_end_x  { msrp_set(fr, MSRP_S_RANGE_END_STAR, OFF); }
    action br_total  { if (!msrp_field(fr, MSRP_F_RANGE_TOTAL, OFF)) fbreak; }
    action br_tot_x  { if (!msrp_field(fr, MSRP_F_RANGE_TOTAL_STAR, OFF)) fbreak; }
    action rep_yes   { if (!msrp_field(fr, MSRP_F_REPORT_YES, OFF)) fbreak; }
    action rep_no    { if (!msrp_field(fr, MSRP_F_REPORT_NO, OFF)) fbreak; }
    action rep_part  { if (!msrp_field(fr, MSRP_F_REPORT_PARTIAL, OFF)) fbreak; }
    action st_ns     { if (!msrp_field(fr, MSRP_F_STATUS_NS, OFF)) fbreak; }
    action st_code   { if (!msrp_field(fr, MSRP_F_STATUS_CODE, OFF)) fbreak; }

    action blank_cr  { fr->rule = EMSEC_MSRP_RULE_LINE_END; }
    # The block ends here; no fbreak: the machine's final state has no
    # transition, so it stops at the next byte (which the framer gives to the
    # end-line matcher, not taking it from hdr) and Ragel emits no dead code.
    action blk_body  { msrp_block_end(fr, OFF + 1u, 1u); }
    action blk_end   { msrp_block_end(fr, OFF, 0u); }

    # ------------------------------------------------------------ RFC 4975 §9 primitives
    CR        = 0x0d;
    LF        = 0x0a;
    SP        = 0x20;
    HTAB      = 0x09;
    utf8_cont = 0x80..0xbf;
    utf8_nonascii = 0xc0..0xdf utf8_cont | 0xe0..0xef utf8_cont{2}
                  | 0xf0..0xf7 utf8_cont{3} | 0xf8..0xfb utf8_cont{4}
                  | 0xfc..0xfd utf8_cont{5};
    utf8text  = (HTAB | 0x20..0x7e | utf8_nonascii)*;
    tchar     = 0x21 | 0x23..0x27 | 0x2a..0x2b | 0x2d..0x2e | 0x30..0x39
              | 0x41..0x5a | 0x5e..0x7e;
    token     = tchar+;
    ident     = alnum (alnum | [.\-+%=]){3,31};
    qd_string = '"' (SP | HTAB | 0x21 | 0x23..0x5b | 0x5d..0x7e | utf8_nonascii
                    | '\\' ['\\"])* '"';

    # ------------------------------------------------------------ MSRP-URI (§9, authority RFC 3986 §3.2)
    # A reg-name here has no ';': in an MSRP-URI the ';' after the authority
    # starts the transport, and a host name resolved as RFC 4975 §6.2 says
    # (DNS or an IP literal) never holds one.
    unreserved = alpha | digit | [\-._~];
    pct        = '%' xdigit xdigit;
    sub_delims = [!$&'()*+,;=];
    userinfo   = (unreserved | pct | sub_delims | ':')*;
    ip_literal = '[' (xdigit | ':' | '.')+ ']';
    reg_name   = (unreserved | pct | [!$&'()*+,=])+;
    authority  = (userinfo '@')? (ip_literal | reg_name) (':' digit+)?;
    session_id = (unreserved | [+=/])+;
    msrp_uri   = ('msrp'i | 'msrps'i) '://' authority ('/' session_id)?
                 ';' alnum+ (';' token ('=' token)?)*;
    uri_list   = (msrp_uri >mk >r_uri %uri) (SP @r_uri (msrp_uri >mk >r_uri %uri))*;

    eol        = CR @hl_cr LF @hl_lf;

    # ------------------------------------------------------------ start line (§9)
    method      = (0x41..0x5a)+ >mk >r_method %method;
    status_code = digit{3} >mk >r_status %status;
    # The comment may be empty (utf8text = *(...)): its span starts after the SP.
    start_line  = 'MSRP' SP ident >mk >r_tid %tid SP @r_start
                  ( method | status_code (SP @mk_next utf8text %comment)? )
                  CR @sl_cr LF @sl_lf;

    # ------------------------------------------------------------ headers (§9, RFC 4976 §4.2)
    to_path   = 'To-Path'i ':' @hn_to SP @hv @r_uri uri_list eol;
    from_path = 'From-Path'i ':' @hn_from SP @hv @r_uri uri_list eol;
    use_path  = 'Use-Path'i ':' @hn_up SP @hv @r_uri uri_list eol;
    message_id = 'Message-ID'i ':' @hn_mid SP @hv ident >mk %mid eol;
    byte_range = 'Byte-Range'i ':' @hn_br SP @hv
                 digit+ >mk %br_start '-'
                 (digit+ >mk %br_end | '*' @br_end_x) '/'
                 (digit+ >mk %br_total | '*' @br_tot_x) eol;
    success_report = 'Success-Report'i ':' @hn_sr SP @hv
                     ('yes'i @rep_yes | 'no'i @rep_no) eol;
    failure_report = 'Failure-Report'i ':' @hn_fr SP @hv
                     ('yes'i @rep_yes | 'no'i @rep_no | 'partial'i @rep_part) eol;
    status    = 'Status'i ':' @hn_st SP @hv digit{3} >mk %st_ns SP
                digit{3} >mk %st_code (SP utf8text)? eol;
    media_type = token '/' token (';' token ('=' (token | qd_string))?)*;
    content_type = 'Content-Type'i ':' @hn_ct SP @hv media_type eol;

    known = 'To-Path'i | 'From-Path'i | 'Use-Path'i | 'Message-ID'i | 'Byte-Range'i
          | 'Success-Report'i | 'Failure-Report'i | 'Status'i | 'Content-Type'i;
    ext_header = ((alpha tchar*) - known) ':' @hn_other SP @hv utf8text eol;

    header = (use_path | message_id | byte_range | success_report | failure_report
             | status | content_type | ext_header
             | to_path | from_path) >hb;   # a second To-Path / From-Path: DUPLICATE_HEADER

    main := ( start_line (to_path >hb) (from_path >hb) header*
              ( CR @blank_cr LF @blk_body | '-' @blk_end ) );
}%%

%% write data;

void emsec_msrp__machine_init(emsec_msrp_framer *fr)
{
    (void)msrp_first_final;
    (void)msrp_error;
    (void)msrp_en_main;
    %% write init;
}

/*
 * Ragel -G2 lays the states out inside one `switch (cs)` so that a later call
 * can resume in any state: every state's code falls through into the next
 * case label on purpose. The warning is switched off for this function only
 * (generated code cannot carry fallthrough markers).
 */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wimplicit-fallthrough"
void emsec_msrp__exec(emsec_msrp_framer *fr, uint32_t from, uint32_t to)
{
    const uint8_t *p = fr->hdr + from;
    const uint8_t *pe = fr->hdr + to;

    %% write exec;

    if (fr->status == EMSEC_OK && fr->ended == 0u && fr->cs == msrp_error) {
        msrp_fail_rule(fr, OFF);
    }
}
#pragma GCC diagnostic pop
