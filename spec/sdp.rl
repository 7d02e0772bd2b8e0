/*
 * spec/sdp.rl: the strict SDP grammar (RFC 8866 §9) and the typed attributes
 * the gateway reads (RFC 4145, 8122, 8842, 4975, 6714, 4567, 8856).
 *
 * Grammar only. Every action is one line: it records an offset, sets the
 * rule in force, or calls a named helper of core/sdp_internal.h (each with
 * its contract there); a helper that refuses returns false and the action
 * stops the machine with fbreak (the helper has recorded the error).
 * No action allocates, moves p (other than fbreak) or casts away const.
 *
 * Error reporting: `ps->rule` always names the construct being read; it is
 * set by the '=' of each line and by the sub-rule entry points below. When no
 * transition exists, the one $err action records (offset of the failing
 * byte, ps->rule). Resync point: none; failure is absorbing until re-init.
 *
 * Line order is NOT in this machine: a description is `line*`, and the letter
 * of each line is checked against the order table (sdp_line_begin) before the
 * line is read ("which sequences are legal" apart from "what each step does").
 *
 * Offsets: OFF is the offset of the byte under p in the caller's buffer.
 */
#include <stddef.h>
#include <stdint.h>

#include "sdp_internal.h"

#define OFF (base + (uint32_t)(p - data))

%%{
    machine sdp;
    alphtype unsigned char;
    variable cs ps->cs;

    # ------------------------------------------------------------ actions
    action err_any     { (void)sdp_fail(ps, (emsec_sdp_rule)ps->rule, OFF); }
    action ln_begin    { if (!sdp_line_begin(ps, fc, OFF)) fbreak; }
    action ln_eq       { sdp_value_begin(ps, OFF + 1u); }
    action ln_cr       { ps->crlf = 1u; ps->rule = EMSEC_SDP_RULE_LINE_END; }
    action ln_end      { if (!sdp_line_end(ps, OFF)) fbreak; }
    action mk          { ps->m1 = OFF; }
    action mk_next     { ps->m1 = OFF + 1u; }

    action o_user      { if (!sdp_field(ps, SDP_F_O_USER, OFF)) fbreak; }
    action o_id        { if (!sdp_field(ps, SDP_F_O_SESS_ID, OFF)) fbreak; }
    action o_ver       { if (!sdp_field(ps, SDP_F_O_SESS_VER, OFF)) fbreak; }
    action o_net       { if (!sdp_field(ps, SDP_F_O_NETTYPE, OFF)) fbreak; }
    action o_atype     { if (!sdp_field(ps, SDP_F_O_ADDRTYPE, OFF)) fbreak; }
    action o_addr      { if (!sdp_field(ps, SDP_F_O_ADDR, OFF)) fbreak; }
    action c_net       { if (!sdp_field(ps, SDP_F_C_NETTYPE, OFF)) fbreak; }
    action c_atype     { if (!sdp_field(ps, SDP_F_C_ADDRTYPE, OFF)) fbreak; }
    action c_addr      { if (!sdp_field(ps, SDP_F_C_ADDR, OFF)) fbreak; }
    action m_media     { if (!sdp_field(ps, SDP_F_M_MEDIA, OFF)) fbreak; }
    action m_port      { if (!sdp_field(ps, SDP_F_M_PORT, OFF)) fbreak; }
    action m_count     { if (!sdp_field(ps, SDP_F_M_COUNT, OFF)) fbreak; }
    action m_proto     { if (!sdp_field(ps, SDP_F_M_PROTO, OFF)) fbreak; }
    action m_fmts      { if (!sdp_field(ps, SDP_F_M_FMTS, OFF)) fbreak; }
    action fp_hash     { if (!sdp_field(ps, SDP_F_FP_HASH, OFF)) fbreak; }
    action fp_value    { if (!sdp_field(ps, SDP_F_FP_VALUE, OFF)) fbreak; }
    action fp_space    { if (!sdp_field(ps, SDP_F_FP_SPACE, OFF)) fbreak; }
    action tls_id      { if (!sdp_field(ps, SDP_F_TLS_ID, OFF)) fbreak; }
    action path_uri    { if (!sdp_field(ps, SDP_F_PATH_URI, OFF)) fbreak; }
    action accept_one  { if (!sdp_field(ps, SDP_F_ACCEPT_ENTRY, OFF)) fbreak; }
    action km_proto    { if (!sdp_field(ps, SDP_F_KM_PROTO, OFF)) fbreak; }
    action km_data     { if (!sdp_field(ps, SDP_F_KM_DATA, OFF)) fbreak; }
    action confid      { if (!sdp_field(ps, SDP_F_CONFID, OFF)) fbreak; }
    action userid      { if (!sdp_field(ps, SDP_F_USERID, OFF)) fbreak; }
    action floor_id    { if (!sdp_field(ps, SDP_F_FLOOR_ID, OFF)) fbreak; }
    action floor_strm  { if (!sdp_field(ps, SDP_F_FLOOR_STREAM, OFF)) fbreak; }
    action bfcpver     { if (!sdp_field(ps, SDP_F_BFCPVER, OFF)) fbreak; }
    action port_choose { if (!sdp_field(ps, SDP_F_PORT_CHOOSE, OFF)) fbreak; }
    action a_choose    { if (!sdp_field(ps, SDP_F_ATTR_CHOOSE, OFF)) fbreak; }
    action cema_value  { (void)sdp_fail(ps, EMSEC_SDP_RULE_MSRP_CEMA, OFF); fbreak; }

    action r_port      { ps->rule = EMSEC_SDP_RULE_PORT; }
    action r_proto     { ps->rule = EMSEC_SDP_RULE_PROTO; }
    action r_fmt       { ps->rule = EMSEC_SDP_RULE_FMT; }
    action r_fp_hex    { ps->rule = EMSEC_SDP_RULE_FINGERPRINT_HEX; }
    action r_km_b64    { ps->rule = EMSEC_SDP_RULE_KEY_MGMT_BASE64; }

    action a_generic   { if (!sdp_attr_colon(ps, EMSEC_SDP_ATTR_UNKNOWN, OFF)) fbreak; }
    action a_setup     { if (!sdp_attr_colon(ps, EMSEC_SDP_ATTR_SETUP, OFF)) fbreak; }
    action a_conn      { if (!sdp_attr_colon(ps, EMSEC_SDP_ATTR_CONNECTION, OFF)) fbreak; }
    action a_fp        { if (!sdp_attr_colon(ps, EMSEC_SDP_ATTR_FINGERPRINT, OFF)) fbreak; }
    action a_tlsid     { if (!sdp_attr_colon(ps, EMSEC_SDP_ATTR_TLS_ID, OFF)) fbreak; }
    action a_path      { if (!sdp_attr_colon(ps, EMSEC_SDP_ATTR_PATH, OFF)) fbreak; }
    action a_accept    { if (!sdp_attr_colon(ps, EMSEC_SDP_ATTR_ACCEPT_TYPES, OFF)) fbreak; }
    action a_km        { if (!sdp_attr_colon(ps, EMSEC_SDP_ATTR_KEY_MGMT, OFF)) fbreak; }
    action a_floorctrl { if (!sdp_attr_colon(ps, EMSEC_SDP_ATTR_FLOORCTRL, OFF)) fbreak; }
    action a_confid    { if (!sdp_attr_colon(ps, EMSEC_SDP_ATTR_CONFID, OFF)) fbreak; }
    action a_userid    { if (!sdp_attr_colon(ps, EMSEC_SDP_ATTR_USERID, OFF)) fbreak; }
    action a_floorid   { if (!sdp_attr_colon(ps, EMSEC_SDP_ATTR_FLOORID, OFF)) fbreak; }
    action a_bfcpver   { if (!sdp_attr_colon(ps, EMSEC_SDP_ATTR_BFCPVER, OFF)) fbreak; }
    action a_cema      { if (!sdp_attr_property(ps, EMSEC_SDP_ATTR_MSRP_CEMA)) fbreak; }

    action setup_act   { if (!sdp_attr_setup(ps, EMSEC_SDP_SETUP_ACTIVE)) fbreak; }
    action setup_pas   { if (!sdp_attr_setup(ps, EMSEC_SDP_SETUP_PASSIVE)) fbreak; }
    action setup_ap    { if (!sdp_attr_setup(ps, EMSEC_SDP_SETUP_ACTPASS)) fbreak; }
    action setup_hold  { if (!sdp_attr_setup(ps, EMSEC_SDP_SETUP_HOLDCONN)) fbreak; }
    action conn_new    { if (!sdp_attr_connval(ps, EMSEC_SDP_CONNVAL_NEW)) fbreak; }
    action conn_exist  { if (!sdp_attr_connval(ps, EMSEC_SDP_CONNVAL_EXISTING)) fbreak; }
    action fc_c        { if (!sdp_attr_floorctrl(ps, EMSEC_SDP_FLOORCTRL_C_ONLY)) fbreak; }
    action fc_s        { if (!sdp_attr_floorctrl(ps, EMSEC_SDP_FLOORCTRL_S_ONLY)) fbreak; }
    action fc_cs       { if (!sdp_attr_floorctrl(ps, EMSEC_SDP_FLOORCTRL_C_S)) fbreak; }

    # ------------------------------------------------------------ RFC 5234 / 8866 primitives
    CR        = 0x0d;
    LF        = 0x0a;
    SP        = 0x20;
    byte_char = 0x01..0x09 | 0x0b..0x0c | 0x0e..0xff;   # byte-string
    vis_char  = 0x21..0x7e | 0x80..0xff;                # non-ws-string
    token_char = alpha | digit | [!#$%&'*+\-.^_`{|}~];
    token     = token_char+;
    non_ws    = vis_char+;
    text      = byte_char+;
    pos_digit = '1'..'9';
    uhex_lc   = digit | 'A'..'F' | 'a'..'f';            # case checked in sdp_field
    b64_char  = alpha | digit | '+' | '/';
    base64    = (b64_char{4})* (b64_char{2} '==' | b64_char{3} '=')?;
    choose    = ('$' | '-') %a_choose;                  # H.248 CHOOSE / unspecified

    eol       = (CR @ln_cr)? LF @ln_end;

    # ------------------------------------------------------------ lines (RFC 8866 §9)
    v_line = 'v' @ln_begin '=' @ln_eq '0' eol;

    o_line = 'o' @ln_begin '=' @ln_eq
             non_ws >mk %o_user SP
             digit+ >mk %o_id SP
             digit+ >mk %o_ver SP
             token >mk %o_net SP
             token >mk %o_atype SP
             non_ws >mk %o_addr eol;

    # RFC 8866 §5.3 "The s= line MUST NOT be empty": checked in sdp_line_end
    # (leniency EMSEC_SDP_LENIENT_EMPTY_SESSION_NAME).
    s_line = 's' @ln_begin '=' @ln_eq text? eol;
    i_line = 'i' @ln_begin '=' @ln_eq text eol;
    u_line = 'u' @ln_begin '=' @ln_eq non_ws eol;       # URI-reference: visible chars
    e_line = 'e' @ln_begin '=' @ln_eq text eol;         # email-address: checked as text
    p_line = 'p' @ln_begin '=' @ln_eq text eol;         # phone-number: checked as text

    c_line = 'c' @ln_begin '=' @ln_eq
             token >mk %c_net SP
             token >mk %c_atype SP
             non_ws >mk %c_addr eol;

    b_line = 'b' @ln_begin '=' @ln_eq token ':' digit+ eol;

    sdp_time   = pos_digit digit{9,} | '0';
    time_unit  = [dhms];
    typed_time = digit+ time_unit?;
    t_line = 't' @ln_begin '=' @ln_eq sdp_time SP sdp_time eol;
    r_line = 'r' @ln_begin '=' @ln_eq pos_digit digit* time_unit? (SP typed_time){1,} eol;
    z_line = 'z' @ln_begin '=' @ln_eq
             sdp_time SP '-'? typed_time (SP sdp_time SP '-'? typed_time)* eol;

    k_line = 'k' @ln_begin '=' @ln_eq
             ( 'prompt' | 'clear:' text | 'base64:' base64 | 'uri:' non_ws ) eol;

    m_line = 'm' @ln_begin '=' @ln_eq
             token >mk %m_media SP @r_port
             ( digit+ >mk %m_port | ('$' | '-') >mk @port_choose )
             ( '/' pos_digit >mk digit* %m_count )? SP @r_proto
             ( token ('/' token)* ) >mk %m_proto SP @r_fmt
             ( token (SP token)* ) >mk %m_fmts eol;

    # ------------------------------------------------------------ attributes
    # RFC 4145 §4, §5 (ABNF strings are case-insensitive, RFC 5234 §2.3)
    setup_value = 'active'i @setup_act | 'passive'i @setup_pas
                | 'actpass'i @setup_ap | 'holdconn'i @setup_hold | choose;
    conn_value  = 'new'i @conn_new | 'existing'i @conn_exist | choose;

    # RFC 8122 §5: hash-func SP fingerprint; fingerprint = 2UHEX *(":" 2UHEX)
    fp_value = (SP @fp_space)? token >mk %fp_hash SP @r_fp_hex
               ( (uhex_lc uhex_lc (':' uhex_lc uhex_lc)*) >mk %fp_value | choose );

    # RFC 8842 §5: 20*255(ALPHA / DIGIT / "+" / "/" / "-" / "_"); length in sdp_field
    tls_id_value = (alpha | digit | [+/\-_])+ >mk %tls_id | choose;

    # RFC 4975 §9 MSRP-URI, authority per RFC 3986 §3.2
    unreserved = alpha | digit | [\-._~];
    pct        = '%' xdigit xdigit;
    sub_delims = [!$&'()*+,;=];
    userinfo   = (unreserved | pct | sub_delims | ':')*;
    ip_literal = '[' (xdigit | ':' | '.')+ ']';
    reg_name   = (unreserved | pct | sub_delims)+;
    authority  = (userinfo '@')? (ip_literal | reg_name) (':' digit*)?;
    msrp_uri   = ('msrp'i | 'msrps'i) '://' authority
                 ('/' (unreserved | [+=/])+)? ';' alnum+ (';' token ('=' token)?)*;
    path_value = msrp_uri >mk %path_uri (SP msrp_uri >mk %path_uri)* | choose;

    # RFC 4975 §9 format-list
    qd_string  = '"' (SP | 0x09 | 0x21 | 0x23..0x5b | 0x5d..0x7e | 0x80..0xff
                     | '\\' ['\\"])* '"';
    type_param = token '=' (token | qd_string);
    fmt_entry  = (token '/' token (';' type_param)* | '*') %accept_one;
    accept_value = fmt_entry (SP fmt_entry)* | choose;

    # RFC 4567 §3.1: 0*1SP prtcl-id SP keymgmt-data; KMPID = 1*(ALPHA / DIGIT)
    km_value = SP? alnum+ >mk %km_proto SP @r_km_b64 @mk_next base64 %km_data | choose;

    # RFC 8856 §5
    floorctrl_value = ( 'c-only'i @fc_c | 's-only'i @fc_s | 'c-s'i @fc_cs )
                      (SP ( 'c-only'i @fc_c | 's-only'i @fc_s | 'c-s'i @fc_cs ))* | choose;
    confid_value  = digit+ >mk %confid | choose;
    userid_value  = digit+ >mk %userid | choose;
    # floor-id = 1*DIGIT SP "mstrm:" token *(SP token) (RFC 8856 §5.4); the
    # stream part is optional and "m-stream:" accepted as in RFC 4583 §5.
    floorid_value = digit+ >mk %floor_id
                    ( SP ('mstrm:' | 'm-stream:') token >mk %floor_strm
                      (SP token >mk %floor_strm)* )? | choose;
    bfcpver_value = digit+ >mk %bfcpver (SP digit+ >mk %bfcpver)* | choose;

    known_name = 'setup' | 'connection' | 'fingerprint' | 'tls-id' | 'path'
               | 'accept-types' | 'msrp-cema' | 'key-mgmt' | 'floorctrl'
               | 'confid' | 'userid' | 'floorid' | 'bfcpver';

    attribute = (token - known_name) (':' @a_generic text)?
              | 'setup' ':' @a_setup setup_value
              | 'connection' ':' @a_conn conn_value
              | 'fingerprint' ':' @a_fp fp_value
              | 'tls-id' ':' @a_tlsid tls_id_value
              | 'path' ':' @a_path path_value
              | 'accept-types' ':' @a_accept accept_value
              | 'msrp-cema' %a_cema | 'msrp-cema' ':' @cema_value
              | 'key-mgmt' ':' @a_km km_value
              | 'floorctrl' ':' @a_floorctrl floorctrl_value
              | 'confid' ':' @a_confid confid_value
              | 'userid' ':' @a_userid userid_value
              | 'floorid' ':' @a_floorid floorid_value
              | 'bfcpver' ':' @a_bfcpver bfcpver_value;

    a_line = 'a' @ln_begin '=' @ln_eq attribute eol;

    line = v_line | o_line | s_line | i_line | u_line | e_line | p_line
         | c_line | b_line | t_line | r_line | z_line | k_line | a_line
         | m_line;

    main := line* $err(err_any);
}%%

%% write data;

void emsec_sdp__machine_init(emsec_sdp_parser *ps)
{
    (void)sdp_first_final;
    (void)sdp_error;
    (void)sdp_en_main;
    %% write init;
}

/*
 * Ragel -G2 lays the states out inside one `switch (cs)` so that a later call
 * can resume in any state: every state's code falls through into the next
 * case label on purpose. GCC's -Wimplicit-fallthrough (in -Wextra) flags each
 * of them, and generated code cannot carry fallthrough markers, so the
 * warning is switched off for this function only.
 */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wimplicit-fallthrough"
void emsec_sdp__exec(emsec_sdp_parser *ps, const uint8_t *data, uint32_t n, uint32_t base)
{
    const uint8_t *p = data;
    const uint8_t *pe = data + n;
    const uint8_t *const eof = NULL; /* end of input is handled by emsec_sdp_finish() */

    %% write exec;

    if (ps->status == EMSEC_OK && ps->done == 0u) {
        if (ps->cs == sdp_error) {
            (void)sdp_fail(ps, (emsec_sdp_rule)ps->rule, OFF);
        } else {
            ps->pos = base + n;
        }
    }
}
#pragma GCC diagnostic pop
