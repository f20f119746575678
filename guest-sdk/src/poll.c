/* poll() over poll_oneoff, replacing wasi-libc's (see <poll.h> of the SDK
 * for what differs). Written for sockets: one FD_READ and/or one FD_WRITE
 * subscription per entry, plus a monotonic clock for the timeout. */
#include <stdlib.h>
#include <poll.h>

#include "internal.h"

#define READ_EVENTS (POLLIN | POLLRDNORM | POLLPRI | POLLRDBAND | POLLRDHUP)
#define WRITE_EVENTS (POLLOUT | POLLWRNORM | POLLWRBAND)
#define STACK_FDS 16

int poll(struct pollfd *fds, nfds_t nfds, int timeout)
{
    __wasi_subscription_t sub_stack[2 * STACK_FDS + 1];
    __wasi_event_t ev_stack[2 * STACK_FDS + 1];
    __wasi_subscription_t *subs = sub_stack;
    __wasi_event_t *evs = ev_stack;
    size_t nsubs = 0;

    if (nfds > 0 && fds == NULL)
        return wasmaot_fail(__WASI_ERRNO_FAULT);
    if (nfds > STACK_FDS) {
        if (nfds > (SIZE_MAX / sizeof *subs - 1) / 2)
            return wasmaot_fail(__WASI_ERRNO_INVAL);
        subs = malloc((2 * nfds + 1) * sizeof *subs);
        evs = malloc((2 * nfds + 1) * sizeof *evs);
        if (subs == NULL || evs == NULL) {
            free(subs);
            free(evs);
            return wasmaot_fail(__WASI_ERRNO_NOMEM);
        }
    }

    for (nfds_t i = 0; i < nfds; i++) {
        struct pollfd *p = &fds[i];
        p->revents = 0;
        if (p->fd < 0)
            continue;
        if (p->events & READ_EVENTS) {
            __wasi_subscription_t *s = &subs[nsubs++];
            memset(s, 0, sizeof *s);
            s->userdata = (__wasi_userdata_t)(uintptr_t)p;
            s->u.tag = __WASI_EVENTTYPE_FD_READ;
            s->u.u.fd_read.file_descriptor = (__wasi_fd_t)p->fd;
        }
        if (p->events & WRITE_EVENTS) {
            __wasi_subscription_t *s = &subs[nsubs++];
            memset(s, 0, sizeof *s);
            s->userdata = (__wasi_userdata_t)(uintptr_t)p;
            s->u.tag = __WASI_EVENTTYPE_FD_WRITE;
            s->u.u.fd_write.file_descriptor = (__wasi_fd_t)p->fd;
        }
        /* events == 0: nothing to wait for (WASI cannot wait for errors
         * alone), the entry is skipped. */
    }

    int rc = 0;
    if (timeout >= 0) {
        if (nsubs == 0 && timeout == 0)
            goto out;
        __wasi_subscription_t *s = &subs[nsubs++];
        memset(s, 0, sizeof *s);
        s->userdata = 0;
        s->u.tag = __WASI_EVENTTYPE_CLOCK;
        s->u.u.clock.id = __WASI_CLOCKID_MONOTONIC;
        s->u.u.clock.timeout = (__wasi_timestamp_t)timeout * 1000000u;
        s->u.u.clock.precision = 0;
        s->u.u.clock.flags = 0;
    } else if (nsubs == 0) {
        /* Would sleep forever: there is no signal to wake us. */
        rc = wasmaot_fail(__WASI_ERRNO_NOTSUP);
        goto out;
    }

    __wasi_size_t nevents = 0;
    __wasi_errno_t err = __wasi_poll_oneoff(subs, evs, nsubs, &nevents);
    if (err != 0) {
        rc = wasmaot_fail(err);
        goto out;
    }

    for (__wasi_size_t i = 0; i < nevents; i++) {
        const __wasi_event_t *e = &evs[i];
        if (e->type != __WASI_EVENTTYPE_FD_READ && e->type != __WASI_EVENTTYPE_FD_WRITE)
            continue;
        struct pollfd *p = (struct pollfd *)(uintptr_t)e->userdata;
        if (e->error == __WASI_ERRNO_BADF) {
            p->revents |= POLLNVAL;
        } else if (e->error == __WASI_ERRNO_PIPE) {
            p->revents |= POLLHUP;
        } else if (e->error != 0) {
            p->revents |= POLLERR;
        } else if (e->type == __WASI_EVENTTYPE_FD_READ) {
            /* Peer shut down writing: readable (read returns 0), and, as on
             * Linux, POLLRDHUP but not POLLHUP, so that a half-closed socket
             * stays writable. */
            p->revents |= p->events & (POLLIN | POLLRDNORM);
            if (e->fd_readwrite.flags & __WASI_EVENTRWFLAGS_FD_READWRITE_HANGUP)
                p->revents |= p->events & POLLRDHUP;
        } else {
            p->revents |= p->events & (POLLOUT | POLLWRNORM);
            if (e->fd_readwrite.flags & __WASI_EVENTRWFLAGS_FD_READWRITE_HANGUP)
                p->revents |= POLLHUP;
        }
    }
    for (nfds_t i = 0; i < nfds; i++) {
        if (fds[i].revents & POLLHUP)
            fds[i].revents &= ~(POLLOUT | POLLWRNORM);
        if (fds[i].revents != 0)
            rc++;
    }

out:
    if (subs != sub_stack) {
        free(subs);
        free(evs);
    }
    return rc;
}
