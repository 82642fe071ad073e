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

/*
 * selftest_pt_cpu (common/pt_audit.c, selftest=pt): walk this CPU's own
 * stage-1 tables; every leaf must be not both writable and executable and
 * lie in a region the layout names (runtime region, this CPU's per-CPU slot,
 * the page metadata), so no identity or alias mapping is left.  Prints
 *   selftest pt: cpu<n> ok leaves=<n> rx=<n> ro=<n> rw=<n> device=<n> runtime=<n> percpu=<n> metadata=<n>
 * or one line per problem (up to 8) and "selftest pt: cpu<n> FAILED (...)".
 * Each secondary runs it as it comes online, the boot CPU after them.
 */
bool selftest_pt_cpu(unsigned int cpu);

struct p2m;
struct range;

/*
 * selftest_pt_stage2 (common/pt_audit.c, selftest=pt with dom0): walk dom0's
 * stage-2 tables; every leaf must be 1:1, host RAM only inside @ram (dom0's
 * RAM, as Normal memory), anything else Device and execute-never, nothing
 * overlapping @kept (what hypcore keeps of the devices).  Prints
 *   selftest pt: stage-2 ok leaves=<n> ram=0x<bytes> mmio=0x<bytes> kept-unmapped=<n>
 * or one line per problem (up to 8) and "selftest pt: stage-2 FAILED (...)".
 */
bool selftest_pt_stage2(const struct p2m *p2m, const struct range *ram, unsigned int nr_ram,
                        const struct range *kept, unsigned int nr_kept);

#endif
