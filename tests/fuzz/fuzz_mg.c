/*
 * libFuzzer target for the gateway core (core/mg*.c + the lifecycle tables).
 *
 * The input is split at the first NUL byte: the part before is one H.248
 * message from the controller; each byte after it is one network event
 * (low nibble: kind, high nibble: which action's termination it hits).
 * The core starts fresh for each input (emsec_mg_init), runs the message,
 * then the events. Checked, abort() otherwise:
 *   - no call crashes or trips ASan/UBSan;
 *   - every reply, Notify and ServiceChange the core writes decodes again
 *     as H.248 (the controller can always read what the gateway says);
 *   - a control message always gets a reply unless it holds no request;
 *   - actions name terminations whose handles are in range.
 * Seeds: tests/fuzz/seeds/mg (the trace messages).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emsec/h248.h"
#include "emsec/mg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static emsec_mg *g_mg;
static char g_text[262144], g_note[65536];
static emsec_h248_node g_nodes[8192];

static void must_decode(const char *what, const char *t, uint32_t n)
{
    emsec_h248_msg m;
    emsec_h248_error e;
    if (n == 0u)
        return;
    if (emsec_h248_decode(&m, t, n, true, g_nodes, 8192u, &e) != EMSEC_OK) {
        fprintf(stderr, "fuzz_mg: %s does not decode (%s at %u):\n%.*s\n", what, emsec_h248_rule_name(e.rule),
                e.offset, (int)n, t);
        abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const emsec_mg_config cfg = {
        "[127.0.0.1]:2944", "tcp/", "192.0.2.10", 40000, 40099,
        "sha-256 4A:AD:B9:B1:3F:82:18:3B:54:02:12:DF:3E:5D:49:6B:19:E5:7C:AB:3C:6F:7B:4B:5F:8A:32:D8:0C:3B:5C:0A",
        1, 7
    };
    if (g_mg == NULL && (g_mg = malloc(emsec_mg_size())) == NULL)
        abort();
    if (emsec_mg_init(g_mg, &cfg) != EMSEC_OK)
        abort();
    size_t cut = 0;
    while (cut < size && data[cut] != 0)
        cut++;
    if (cut > EMSEC_H248_MAX_MESSAGE)
        return 0;
    char *msg = malloc(cut + 1u); /* exactly the message: ASan sees any over-read */
    if (msg == NULL)
        abort();
    memcpy(msg, data, cut);
    emsec_mg_out out;
    memset(&out, 0, sizeof out);
    out.text = g_text;
    out.cap = sizeof g_text;
    out.notify = g_note;
    out.notify_cap = sizeof g_note;
    emsec_result r = emsec_mg_control(g_mg, 1000u, msg, (uint32_t)cut, &out);
    if (r != EMSEC_OK) {
        fprintf(stderr, "fuzz_mg: emsec_mg_control: %s\n", emsec_result_name(r));
        abort();
    }
    must_decode("reply", g_text, out.len);
    must_decode("notify", g_note, out.notify_len);
    uint16_t handles[EMSEC_MG_MAX_ACTIONS];
    uint32_t nh = 0u;
    for (uint32_t i = 0u; i < out.nactions; i++) {
        if (out.actions[i].term >= EMSEC_MG_MAX_TERMS) {
            fprintf(stderr, "fuzz_mg: action handle %u out of range\n", out.actions[i].term);
            abort();
        }
        handles[nh++] = out.actions[i].term;
    }
    uint64_t now = 1000u;
    for (size_t i = cut + 1u; i < size && nh > 0u; i++) {
        emsec_mg_event ev;
        memset(&ev, 0, sizeof ev);
        ev.kind = (uint8_t)(1u + (data[i] & 0x0fu) % (EMSEC_MG_EV_COUNT - 1u));
        ev.term = handles[(data[i] >> 4) % nh];
        ev.secure = (data[i] & 0x10u) != 0u;
        ev.cause = (uint8_t)((data[i] >> 5) % 3u);
        if (ev.kind == EMSEC_MG_EV_TLS_ESTABLISHED && (data[i] & 0x20u)) {
            memcpy(ev.fp_hash, "sha-256", 8);
            ev.fp_len = 32u;
            memset(ev.fp, data[i], 32u);
        }
        r = emsec_mg_on_event(g_mg, ++now, &ev, &out);
        if (r != EMSEC_OK && r != EMSEC_ERR_REFUSED && r != EMSEC_ERR_ARGUMENT) {
            fprintf(stderr, "fuzz_mg: emsec_mg_on_event: %s\n", emsec_result_name(r));
            abort();
        }
        must_decode("notify", g_note, out.notify_len);
    }
    uint16_t t;
    (void)emsec_mg_next_deadline(g_mg, &t);
    /* Graceful with a delay and a TimeStamp (both optional parameters) must
     * decode too, whatever the model holds */
    emsec_mg_sc_params p = { (uint32_t)size, "20261125T01162500" };
    r = emsec_mg_service_change_with(g_mg, now, EMSEC_MG_SC_GRACEFUL, &p, &out);
    if (r != EMSEC_OK)
        abort();
    must_decode("service change graceful", g_note, out.notify_len);
    r = emsec_mg_service_change(g_mg, now, EMSEC_MG_SC_FORCED, &out);
    if (r != EMSEC_OK)
        abort();
    must_decode("service change", g_note, out.notify_len);
    free(msg);
    return 0;
}
