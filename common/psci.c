/* SPDX-License-Identifier: MIT */
/* PSCI conduit from the DTB's /psci node (DT binding arm,psci). */
#include <libfdt.h>
#include <lib.h>
#include <printk.h>
#include <psci.h>
#include <string.h>

static bool psci_hvc;
static bool psci_ok;

bool psci_init(const void *fdt)
{
    int node = fdt_path_offset(fdt, "/psci");
    const char *method;
    int len;

    psci_ok = false;
    if ( node < 0 )
    {
        printk("psci: no /psci node in the DTB: cannot power off or start CPUs\n");
        return false;
    }
    method = fdt_getprop(fdt, node, "method", &len);
    if ( !method || len <= 0 || strnlen(method, len) == (size_t)len )
    {
        printk("psci: /psci has no valid \"method\" property\n");
        return false;
    }
    if ( !strcmp(method, "smc") )
        psci_hvc = false;
    else if ( !strcmp(method, "hvc") )
    {
        /* An HVC from EL2 traps to ourselves: there is no PSCI behind it. */
        printk("psci: /psci method is \"hvc\", unusable from EL2 (boot with virtualization=on)\n");
        return false;
    }
    else
    {
        printk("psci: unknown /psci method \"%s\"\n", method);
        return false;
    }
    psci_ok = true;
    return true;
}

void psci_system_off(void)
{
    long ret;

    if ( !psci_ok )
        return;
    ret = arch_smccc_call(psci_hvc, PSCI_0_2_FN_SYSTEM_OFF, 0, 0, 0);
    printk("psci: SYSTEM_OFF returned %ld\n", ret);
}
