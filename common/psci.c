/* SPDX-License-Identifier: MIT */
/* PSCI conduit from the DTB's /psci node (DT binding arm,psci). */
#include <libfdt.h>
#include <lib.h>
#include <printk.h>
#include <psci.h>
#include <string.h>

static bool psci_hvc;
static bool psci_ok;
static u32 psci_cpu_on_fid = sizeof(long) == 8 ? PSCI_0_2_FN64_CPU_ON : PSCI_0_2_FN32_CPU_ON;

bool psci_init(const void *fdt)
{
    int node = fdt_path_offset(fdt, "/psci");
    const char *method;
    int len;

    psci_ok = false;
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
        /* PSCI 0.1: the IDs are in the node. */
        const fdt32_t *id = fdt_getprop(fdt, node, "cpu_on", &len);

        if ( !id || len != sizeof(*id) )
        {
            printk(XENLOG_WARNING "psci: /psci is PSCI 0.1 without a cpu_on function ID\n");
            return false;
        }
        psci_cpu_on_fid = fdt32_to_cpu(*id);
    }
    else
    {
        printk(XENLOG_WARNING "psci: /psci is not compatible with arm,psci, "
               "arm,psci-0.2 or arm,psci-1.0\n");
        return false;
    }
    psci_ok = true;
    return true;
}

const char *psci_error_name(long err)
{
    static const char *const names[] = {
        "SUCCESS", "NOT_SUPPORTED", "INVALID_PARAMETERS", "DENIED", "ALREADY_ON",
        "ON_PENDING", "INTERNAL_FAILURE", "NOT_PRESENT", "DISABLED", "INVALID_ADDRESS",
    };

    return err <= 0 && -err < (long)ARRAY_SIZE(names) ? names[-err] : "UNKNOWN";
}

long psci_cpu_on(u64 mpidr, paddr_t entry, unsigned long context_id)
{
    if ( !psci_ok )
        return PSCI_NOT_SUPPORTED;
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
