/* SPDX-License-Identifier: MIT */
/* Names of abort fault status codes (include/traps.h). */
#include <traps.h>

const char *fault_status_name(unsigned int fsc)
{
    switch ( fsc & 0x3c )
    {
    case 0x00: return "address size fault";
    case 0x04: return "translation fault";
    case 0x08: return "access flag fault";
    case 0x0c: return "permission fault";
    }
    if ( fsc == 0x10 )
        return "synchronous external abort";
    if ( fsc == 0x21 )
        return "alignment fault";
    return "other fault";
}
