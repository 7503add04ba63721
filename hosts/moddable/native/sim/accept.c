/*
 * The Linux simulator only (manifest.json, platform lin): connections taken by a Listener are made
 * non-blocking, as the SDK's own sockets are.
 *
 * The SDK's socket module for Linux (modules/network/socket/lin/modSocket.c, SDK 8.2.3) takes a
 * connection with a plain accept() (line 784), which gives a blocking socket, and polls its sockets
 * with select() every 20 ms (socketServiceTimerCallback, line 439), posting for each readable one a
 * message that calls recv() a millisecond later (socketReadable, line 318). On a busy machine the
 * poll runs twice before the message does: two messages for one arrival, the first reads the
 * bytes, the second waits in recv() for bytes that a client which sent half a request never sends.
 * That recv() holds the simulator's only thread: no timer, no connection, no instruments line,
 * until that client closes (seen with gdb: socketReadable > recv on an accepted socket, its
 * receive queue empty, flags without O_NONBLOCK). Non-blocking, that recv() returns EAGAIN and the
 * SDK's socketReadable ignores it. The boards' lwIP sockets have no such wait.
 *
 * Hidden, this accept() is bound to the SDK's call within the simulator's library (mc.so) only.
 */

#define _GNU_SOURCE
#include <sys/socket.h>

__attribute__((visibility("hidden"))) int accept(int fd, struct sockaddr *address, socklen_t *length)
{
	return accept4(fd, address, length, SOCK_NONBLOCK);
}
