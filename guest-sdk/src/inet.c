/* inet_addr and inet_ntoa, which the distribution's wasi-libc lacks. */
#include <stdio.h>
#include <arpa/inet.h>

#include "internal.h"

in_addr_t inet_addr(const char *cp)
{
    struct in_addr a;
    if (cp == NULL || inet_aton(cp, &a) != 1)
        return INADDR_NONE;
    return a.s_addr;
}

char *inet_ntoa(struct in_addr in)
{
    static char buf[INET_ADDRSTRLEN];
    const unsigned char *b = (const unsigned char *)&in.s_addr;
    snprintf(buf, sizeof buf, "%u.%u.%u.%u", b[0], b[1], b[2], b[3]);
    return buf;
}
