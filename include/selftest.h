/* SPDX-License-Identifier: MIT */
/* On-purpose failures and checks, chosen with selftest=<name> on the command line. */
#ifndef HYPCORE_SELFTEST_H
#define HYPCORE_SELFTEST_H

/*
 * selftest_option: the value of selftest= (a string option, "" when not
 * given), for smp_init() and the boot CPU's late path.  Valid once
 * cmdline_parse() has run.
 */
const char *selftest_option(void);

/* selftest_run: run the named self-test; warns about an unknown name. */
void selftest_run(const char *name);

/* selftest_fault: read an address no one maps, to show the fault dump. */
void selftest_fault(void);

#endif
