/* SPDX-License-Identifier: MIT */
#include <cmdline.h>
#include <string.h>

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n';
}

bool cmdline_get(const char *cmdline, const char *name, char *val, size_t len)
{
    size_t nlen = strlen(name);
    const char *p = cmdline;
    bool found = false;

    if ( !cmdline )
        return false;
    while ( *p )
    {
        const char *tok, *end;

        while ( is_space(*p) )
            p++;
        tok = p;
        while ( *p && !is_space(*p) )
            p++;
        end = p;
        if ( (size_t)(end - tok) < nlen || memcmp(tok, name, nlen) )
            continue;
        if ( tok + nlen == end || tok[nlen] == '=' )
        {
            const char *v = tok + nlen + (tok + nlen < end ? 1 : 0);
            size_t vlen = end - v;

            found = true;   /* keep looking: the last one wins */
            if ( len )
            {
                if ( vlen > len - 1 )
                    vlen = len - 1;
                memcpy(val, v, vlen);
                val[vlen] = '\0';
            }
        }
    }
    return found;
}
