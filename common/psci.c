/* SPDX-License-Identifier: MIT */
/* PSCI conduit from the DTB's /psci node (DT binding arm,psci). */
#include <cpu.h>
#include <libfdt.h>
#include <lib.h>
#include <printk.h>
#include <psci.h>
#include <string.h>

static bool psci_hvc;
static bool psci_ok;            /* the conduit works: SYSTEM_OFF may be called */
static bool psci_cpu_on_ok;     /* and so may CPU_ON, with psci_cpu_on_fid */
static u32 psci_cpu_on_fid = sizeof(long) == 8 ? PSCI_0_2_FN64_CPU_ON : PSCI_0_2_FN32_CPU_ON;

/* SMC Calling Convention (Arm DEN 0028): bit 31 fast call, bit 30 SMC64. */
#define SMCCC_FAST_CALL         0x80000000U
#define SMCCC_64                0x40000000U
/* PSCI 0.2+ function IDs: 0x84000000 + n (SMC32), 0xc4000000 + n (SMC64). */
#define PSCI_0_2_FN_BASE        0x84000000U
#define PSCI_0_2_FN_LAST        0x14U

/* PSCI 1.1's function numbers (DEN 0022, 5.1), for the messages. */
static const char *const psci_fn_names[PSCI_0_2_FN_LAST + 1] = {
    "PSCI_VERSION", "CPU_SUSPEND", "CPU_OFF", "CPU_ON", "AFFINITY_INFO", "MIGRATE",
    "MIGRATE_INFO_TYPE", "MIGRATE_INFO_UP_CPU", "SYSTEM_OFF", "SYSTEM_RESET",
    "PSCI_FEATURES", "CPU_FREEZE", "CPU_DEFAULT_SUSPEND", "NODE_HW_STATE",
    "SYSTEM_SUSPEND", "PSCI_SET_SUSPEND_MODE", "PSCI_STAT_RESIDENCY",
    "PSCI_STAT_COUNT", "SYSTEM_RESET2", "MEM_PROTECT", "MEM_PROTECT_CHECK_RANGE",
};

/* The PSCI 0.1 properties of /psci, with the 0.2 function number of each. */
static const struct {
    const char *prop;
    unsigned int fn;
} psci_0_1_props[] = {
    { "cpu_suspend", 1 }, { "cpu_off", 2 }, { "cpu_on", 3 }, { "migrate", 5 },
};

/*
 * Check PSCI 0.1 function ID @id of @prop (function number @fn); NULL if
 * usable, else why not (in @buf).  A fast call (bit 31), SMC32 on arm32, and
 * not the standard ID of a different PSCI function: firmware answers those
 * whatever /psci says, so cpu_on = CPU_OFF's ID would switch the boot CPU off.
 */
static const char *psci_0_1_id_problem(const char *prop, unsigned int fn, u32 id,
                                       char *buf, size_t len)
{
    u32 num = id & ~SMCCC_64 & ~PSCI_0_2_FN_BASE;

    if ( !(id & SMCCC_FAST_CALL) )
        snprintf(buf, len, "%s 0x%08x is not an SMCCC fast call (bit 31 clear)", prop, id);
    else if ( (id & SMCCC_64) && sizeof(long) == 4 )
        snprintf(buf, len, "%s 0x%08x is an SMC64 call, unusable from AArch32", prop, id);
    else if ( (id & ~SMCCC_64 & ~0x1fU) == PSCI_0_2_FN_BASE && num <= PSCI_0_2_FN_LAST &&
              num != fn )
        snprintf(buf, len, "%s 0x%08x is the standard ID of %s", prop, id,
                 psci_fn_names[num]);
    else
        return NULL;
    return buf;
}

/*
 * PSCI 0.1: the function IDs come from /psci.  cpu_on must be there; every
 * ID present must pass psci_0_1_id_problem() and differ from the others.
 * Returns NULL (psci_cpu_on_fid set) or why CPU_ON cannot be used.
 */
static const char *psci_0_1_read(const void *fdt, int node, char *buf, size_t len)
{
    u32 ids[ARRAY_SIZE(psci_0_1_props)];
    bool present[ARRAY_SIZE(psci_0_1_props)];
    unsigned int i, j;

    for ( i = 0; i < ARRAY_SIZE(psci_0_1_props); i++ )
    {
        int plen;
        const fdt32_t *id = fdt_getprop(fdt, node, psci_0_1_props[i].prop, &plen);

        present[i] = id != NULL;
        if ( !id )
            continue;
        if ( plen != sizeof(*id) )
        {
            snprintf(buf, len, "%s is %d bytes, not one cell", psci_0_1_props[i].prop, plen);
            return buf;
        }
        ids[i] = fdt32_ld(id);
        if ( psci_0_1_id_problem(psci_0_1_props[i].prop, psci_0_1_props[i].fn, ids[i],
                                 buf, len) )
            return buf;
        for ( j = 0; j < i; j++ )
            if ( present[j] && ids[j] == ids[i] )
            {
                snprintf(buf, len, "%s and %s are both 0x%08x", psci_0_1_props[j].prop,
                         psci_0_1_props[i].prop, ids[i]);
                return buf;
            }
    }
    if ( !present[2] )
        return "there is no cpu_on function ID";
    psci_cpu_on_fid = ids[2];
    return NULL;
}

bool psci_init(const void *fdt)
{
    int node = fdt_path_offset(fdt, "/psci");
    const char *method;
    int len;

    psci_ok = false;
    psci_cpu_on_ok = false;
    if ( node < 0 )
    {
        printk(XENLOG_WARNING "psci: no /psci node in the DTB: cannot power off or start CPUs\n");
        return false;
    }
    method = fdt_getprop(fdt, node, "method", &len);
    if ( !method || len <= 0 || strnlen(method, len) == (size_t)len )
    {
        printk(XENLOG_WARNING "psci: /psci has no valid \"method\" property\n");
        return false;
    }
    if ( !strcmp(method, "smc") )
        psci_hvc = false;
    else if ( !strcmp(method, "hvc") )
    {
        /* An HVC from EL2 traps to ourselves: there is no PSCI behind it. */
        printk(XENLOG_WARNING "psci: /psci method is \"hvc\", unusable from EL2 "
               "(boot with virtualization=on)\n");
        return false;
    }
    else
    {
        printk(XENLOG_WARNING "psci: unknown /psci method \"%s\"\n", method);
        return false;
    }
    if ( !fdt_node_check_compatible(fdt, node, "arm,psci-0.2") ||
         !fdt_node_check_compatible(fdt, node, "arm,psci-1.0") )
        ;   /* standard function IDs */
    else if ( !fdt_node_check_compatible(fdt, node, "arm,psci") )
    {
        char buf[120];
        const char *why = psci_0_1_read(fdt, node, buf, sizeof(buf));

        if ( why )
        {
            /* SYSTEM_OFF keeps its standard ID, as before; only CPU_ON is at stake. */
            printk(XENLOG_WARNING "psci: /psci (PSCI 0.1): %s; not starting the "
                   "secondary CPUs\n", why);
            psci_ok = true;
            return false;
        }
    }
    else
    {
        printk(XENLOG_WARNING "psci: /psci is not compatible with arm,psci, "
               "arm,psci-0.2 or arm,psci-1.0\n");
        return false;
    }
    psci_ok = true;
    psci_cpu_on_ok = true;
    return true;
}

const char *psci_error_name(long err)
{
    static const char *const names[] = {
        "SUCCESS", "NOT_SUPPORTED", "INVALID_PARAMETERS", "DENIED", "ALREADY_ON",
        "ON_PENDING", "INTERNAL_FAILURE", "NOT_PRESENT", "DISABLED", "INVALID_ADDRESS",
    };

    return err <= 0 && -err < (long)ARRAY_SIZE(names) ? names[-err] : NULL;
}

const char *psci_error_text(long err, char *buf, size_t len)
{
    const char *name = psci_error_name(err);

    if ( name )
        return name;
    snprintf(buf, len, "UNKNOWN(%ld)", err);
    return buf;
}

long psci_cpu_on(u64 mpidr, paddr_t entry, unsigned long context_id)
{
    const char *why;
    unsigned int bits = arch_paddr_bits(&why);

    if ( !psci_cpu_on_ok )
        return PSCI_NOT_SUPPORTED;
    if ( entry >> bits )
    {
        printk(XENLOG_ERR "psci: CPU_ON entry 0x%llx lies beyond the %u-bit physical "
               "address space (%s)\n", (unsigned long long)entry, bits, why);
        return PSCI_INVALID_ADDRESS;
    }
    return arch_smccc_call(psci_hvc, psci_cpu_on_fid, (unsigned long)mpidr,
                           (unsigned long)entry, context_id);
}

void psci_system_off(void)
{
    long ret;

    if ( !psci_ok )
        return;
    ret = arch_smccc_call(psci_hvc, PSCI_0_2_FN_SYSTEM_OFF, 0, 0, 0);
    printk(XENLOG_ERR "psci: SYSTEM_OFF returned %ld\n", ret);
}
