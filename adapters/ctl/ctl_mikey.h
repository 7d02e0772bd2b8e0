/*
 * adapters/ctl/ctl_mikey.h: the MRFC's TLS-PSK from MIKEY-TICKET (RFC 6043)
 * for emsec-ctl, over the core's MIKEY code (include/emsec/mikey.h) with
 * OpenSSL's HMAC and random bytes (adapters/crypto/hmac_openssl.h).
 */
#ifndef EMSEC_CTL_MIKEY_H
#define EMSEC_CTL_MIKEY_H

#include <stdbool.h>
#include <stdint.h>

/* Length of the TEK used as the TLS PSK (RFC 4279 allows up to 64). */
#define CTL_MIKEY_PSK_LEN 32u

/*
 * Mode 3 (RFC 6043 §4.1.1): the MRFC makes the ticket and the keys itself.
 * Fresh random TGK, RANDRi, RANDRr, MPKi, SPI, CSB ID; NTP-UTC timestamps.
 * Writes the TRANSFER_INIT and TRANSFER_RESP, base64 (the a=key-mgmt:mikey
 * form, RFC 4567), to DIR/transfer_init.b64 and DIR/transfer_resp.b64, and
 * the TEK of RFC 6043 §5.1.3 to psk[0, CTL_MIKEY_PSK_LEN). Prints one line
 * on what it did (never the key). false with a message on failure.
 */
bool ctl_mikey_mode3(const char *dir, uint8_t *psk);

/*
 * The UE's side: parse the two messages from their base64 files, check the
 * Ticket Transfer components (RFC 6043 §4.2.2), take the TGK from the
 * KEMAC, RANDRi and RANDRr as the TICKET's H and G flags say, the CS ID and
 * PRF of the HDR, and derive the TEK (RFC 6043 §5.1.3). Prints it in hex
 * on stdout. Returns the exit status (0, 1 refused, 2 I/O).
 */
int ctl_mikey_ue(const char *init_b64, const char *resp_b64);

#endif
