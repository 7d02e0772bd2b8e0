/*
 * emsec_mg_init (include/emsec/mg.h) at run time, for what its proof
 * assumes: WP proves that a model emsec_mg_init accepts is mg_ready
 * (core/mg.c) from zero_model's contract (mg_zeroed), which WP cannot check
 * itself (a memset over the struct's bytes; proofs/UNPROVED.md). So here a
 * model whose bytes are all 0xA5 (everything zero_model writes) is
 * initialised and every clause of mg_zeroed read back, with the
 * configuration's fields; then each string's length limit, the optional
 * fingerprint, and a refused configuration leaving the model untouched.
 */
#include <criterion/criterion.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "emsec/mg.h"
#include "mg_fixture.h"
#include "mg_model.h"

/* The bytes zero_model writes: the model up to the SDP text. */
#define HEAD offsetof(emsec_mg, local_sdp)

static emsec_mg *dirty_model(void)
{
    emsec_mg *m = calloc(1, emsec_mg_size());
    cr_assert_not_null(m);
    memset(m, 0xA5, HEAD);
    return m;
}

Test(mg_init, clears_every_field_mg_zeroed_names)
{
    emsec_mg *m = dirty_model();
    emsec_mg_config c = mg_fixture_cfg;
    cr_assert_eq(emsec_mg_init(m, &c), EMSEC_OK);
    /* mg_zeroed, clause by clause */
    cr_assert_eq(m->cache_next, 0u);
    for (uint32_t i = 0u; i < EMSEC_MG_REPLY_CACHE; i++)
        cr_assert_eq(m->cache[i].len, 0u, "cache[%u]", i);
    for (uint32_t ci = 0u; ci < EMSEC_MG_MAX_CONTEXTS; ci++) {
        cr_assert(!m->ctx[ci].used, "ctx[%u]", ci);
        cr_assert_eq(m->ctx[ci].nterms, 0u, "ctx[%u]", ci);
    }
    for (uint32_t ti = 0u; ti < EMSEC_MG_MAX_TERMS; ti++) {
        cr_assert(!m->term[ti].used, "term[%u]", ti);
        cr_assert_eq(m->term[ti].ctx, 0u, "term[%u]", ti);
        cr_assert_eq(m->term[ti].local_len, 0u, "term[%u]", ti);
        cr_assert_eq(m->term[ti].remote_len, 0u, "term[%u]", ti);
    }
    /* and the rest of the head too, which the core reads as zero
     * (deadlines, busy ports, the gateway's own requests) */
    for (uint32_t ti = 0u; ti < EMSEC_MG_MAX_TERMS; ti++)
        cr_assert_eq(m->deadline[ti], 0u, "deadline[%u]", ti);
    for (uint32_t p = 0u; p < 65536u; p++)
        cr_assert(!m->port_busy[p], "port_busy[%u]", p);
    cr_assert_eq(m->next_tid, 0u);
    cr_assert_eq(m->sc_tid, 0u);
    cr_assert(!m->registered);
    /* the configuration written over it */
    cr_assert_str_eq(m->mid, c.mid);
    cr_assert_eq(m->mid_len, strlen(c.mid)); /* what the replies' headers write */
    cr_assert_str_eq(m->prefix, c.term_prefix);
    cr_assert_str_eq(m->address, c.address);
    cr_assert_str_eq(m->fingerprint, c.fingerprint);
    cr_assert_eq(m->port_min, c.port_min);
    cr_assert_eq(m->port_max, c.port_max);
    cr_assert_eq(m->next_port, c.port_min);
    cr_assert_eq(m->version, c.version);
    cr_assert_eq(m->seed, c.seed);
    cr_assert_eq(m->next_ctx_id, 1u);
    /* a string's bytes after its NUL are zero as well */
    for (size_t i = strlen(c.mid); i < sizeof m->mid; i++)
        cr_assert_eq(m->mid[i], '\0', "mid[%zu]", i);
    free(m);
}

/* A string of n 'x'. */
static const char *xs(char *buf, size_t n)
{
    memset(buf, 'x', n);
    buf[n] = '\0';
    return buf;
}

Test(mg_init, each_string_up_to_its_field_and_no_further)
{
    static char buf[512];
    emsec_mg *m = dirty_model();
    struct {
        const char *name;
        size_t offset, field;
    } strings[] = {
        { "mid", offsetof(emsec_mg_config, mid), sizeof m->mid },
        { "term_prefix", offsetof(emsec_mg_config, term_prefix), sizeof m->prefix },
        { "address", offsetof(emsec_mg_config, address), sizeof m->address },
        { "fingerprint", offsetof(emsec_mg_config, fingerprint), sizeof m->fingerprint },
    };
    for (size_t k = 0u; k < sizeof strings / sizeof strings[0]; k++) {
        emsec_mg_config c = mg_fixture_cfg;
        const char **s = (const char **)((char *)&c + strings[k].offset);
        *s = xs(buf, strings[k].field - 1u);
        cr_assert_eq(emsec_mg_init(m, &c), EMSEC_OK, "%s of %zu bytes", strings[k].name, strings[k].field - 1u);
        if (k == 0u)
            cr_assert_eq(m->mid_len, strings[k].field - 1u);
        *s = xs(buf, strings[k].field);
        cr_assert_eq(emsec_mg_init(m, &c), EMSEC_ERR_ARGUMENT, "%s of %zu bytes", strings[k].name,
                     strings[k].field);
    }
    free(m);
}

Test(mg_init, fingerprint_is_optional_the_other_strings_are_not)
{
    emsec_mg *m = dirty_model();
    emsec_mg_config c = mg_fixture_cfg;
    c.fingerprint = NULL;
    cr_assert_eq(emsec_mg_init(m, &c), EMSEC_OK);
    cr_assert_str_eq(m->fingerprint, "");
    c = mg_fixture_cfg;
    c.term_prefix = NULL;
    cr_assert_eq(emsec_mg_init(m, &c), EMSEC_ERR_ARGUMENT);
    c = mg_fixture_cfg;
    c.address = NULL;
    cr_assert_eq(emsec_mg_init(m, &c), EMSEC_ERR_ARGUMENT);
    free(m);
}

Test(mg_init, a_refused_configuration_leaves_the_model_untouched)
{
    emsec_mg *m = dirty_model();
    emsec_mg_config c = mg_fixture_cfg;
    c.address = "192.0.2.10 and then far more text than an IPv4 address field holds, 64 bytes";
    cr_assert_eq(emsec_mg_init(m, &c), EMSEC_ERR_ARGUMENT);
    const unsigned char *b = (const unsigned char *)m;
    for (size_t i = 0u; i < HEAD; i++)
        if (b[i] != 0xA5u)
            cr_assert_fail("byte %zu written by a refused emsec_mg_init", i);
    free(m);
}
