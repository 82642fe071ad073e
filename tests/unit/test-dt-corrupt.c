/* SPDX-License-Identifier: MIT */
/*
 * Damaged DTBs must never crash the DT code: each DTB given is mutated many
 * times (random bytes overwritten, bits flipped, cell values set to edge
 * values, the blob cut short) and every mutant that still passes
 * dt_check() -- the check hypcore makes before reading a DTB -- goes
 * through dt_print_facts() and bootmodules_parse().  (With only
 * fdt_check_header() as the gate, this test crashes inside libfdt's
 * fdt_get_path(): see dt_check() in include/dt.h.)  Built with
 * AddressSanitizer and UBSan when the compiler has them, so an out-of-bounds
 * read or an undefined shift fails the test even without a crash.
 *
 *   test-dt-corrupt ROUNDS DTB...
 *
 * A small deterministic cousin of the libFuzzer target of issue 3.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <bootmodule.h>
#include <dt.h>
#include <libfdt.h>

#include "dt-index-check.h"
#include "harness.h"

/* Change the blob a little: one of several kinds of damage, 1-4 times. */
static size_t mutate(uint8_t *blob, size_t len)
{
    static const uint32_t edges[] = {
        0, 1, 2, 3, 0xffffffff, 0x80000000, 0x7fffffff, 0x10, 0x40,
    };
    unsigned int n = 1 + rnd() % 4;

    while ( n-- )
    {
        size_t at = rnd() % len;

        switch ( rnd() % 4 )
        {
        case 0:
            blob[at] = (uint8_t)rnd();
            break;
        case 1:
            blob[at] ^= 1u << (rnd() % 8);
            break;
        case 2:
            /* A big-endian edge value at a cell boundary. */
            at &= ~(size_t)3;
            if ( at + 4 <= len )
            {
                uint32_t v = edges[rnd() % (sizeof(edges) / sizeof(edges[0]))];

                blob[at] = v >> 24;
                blob[at + 1] = v >> 16;
                blob[at + 2] = v >> 8;
                blob[at + 3] = v;
            }
            break;
        default:
            /* Cut short; the header's totalsize may now lie. */
            len = at + 1;
            break;
        }
    }
    return len;
}

int main(int argc, char **argv)
{
    unsigned long rounds, r, readable = 0;
    static struct bootmodules mods;
    int i;

    harness_rng_state = 0x13198a2e03707344ULL;
    if ( argc < 3 )
    {
        fprintf(stderr, "usage: %s ROUNDS DTB...\n", argv[0]);
        return 2;
    }
    rounds = strtoul(argv[1], NULL, 0);

    for ( i = 2; i < argc; i++ )
    {
        size_t len;
        uint8_t *orig = load_file(argv[i], &len);

        /*
         * QEMU pads its DTB to 1 MiB; pack it so the damage lands in the
         * parts that are read, not in the padding.
         */
        if ( fdt_check_header(orig) == 0 && fdt_totalsize(orig) <= len &&
             fdt_pack(orig) == 0 )
            len = fdt_totalsize(orig);

        for ( r = 0; r < rounds; r++ )
        {
            /* An exact-size heap copy, so ASan sees reads past the end. */
            uint8_t *blob = malloc(len);
            size_t mlen;

            memcpy(blob, orig, len);
            mlen = mutate(blob, len);
            if ( dt_check(blob, mlen) == 0 )
            {
                readable++;
                /* Every 16th: the index's answers against libfdt's, node by node. */
                if ( readable % 16 == 0 && dt_index_present(blob) )
                    check_dt_index(blob);
                { static struct bootmodules mods_; dt_print_facts(blob, &mods_); }
                bootmodules_parse(blob, &mods);
                console_reset();
            }
            free(blob);
        }
        free(orig);
    }

    printf("test-dt-corrupt: %lu mutants read without a crash\n", readable);
    CHECK(readable > rounds / 4, "too few mutants passed dt_check()");
    return harness_exit("test-dt-corrupt");
}
