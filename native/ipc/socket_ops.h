// Plain POSIX operations on AF_UNIX SOCK_SEQPACKET sockets: no N-API, no libuv, so they can run on
// any thread. Every fd they return is close-on-exec and owned by the caller (UniqueFd).
#pragma once

#include <sys/types.h>

#include <string>
#include <utility>
#include <vector>

#include "common/result.h"
#include "common/unique_fd.h"

namespace geyser {

struct PeerCredentials {
  pid_t pid = 0;
  uid_t uid = 0;
  gid_t gid = 0;
};

// A listening socket bound at a path, plus the identity of the file it created (so close removes
// that file only, never one that replaced it).
struct BoundListener {
  UniqueFd fd;
  dev_t dev = 0;
  ino_t ino = 0;
};

// Binds and listens at `path` with mode 0600 and no window where the file is reachable with wider
// permissions: it binds inside a fresh 0700 directory beside `path`, chmods, then renames into place.
// Refuses a path that exists and is not a socket; removes a stale socket (nobody accepting); refuses a
// socket a live server is accepting on.
Result<BoundListener> CreateListener(const std::string& path, int backlog);

// Removes the listener's file if it is still the one this listener created.
void RemoveListenerFile(const std::string& path, dev_t dev, ino_t ino);

// Connects to `path` (blocking: run it off the JS thread). timeout_ms 0 waits forever.
Result<UniqueFd> ConnectBlocking(const std::string& path, int timeout_ms);

// socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC), both ends non-blocking.
Result<std::pair<UniqueFd, UniqueFd>> SocketPair();

// Checks that `fd` is an AF_UNIX SOCK_SEQPACKET socket, makes it non-blocking and close-on-exec.
Status AdoptSocket(int fd);

Result<PeerCredentials> GetPeerCredentials(int fd);

// Outcome of one non-blocking sendmsg.
enum class SendOutcome { kSent, kWouldBlock };

// Sends one packet with the fds attached (SCM_RIGHTS, MSG_NOSIGNAL). EAGAIN is kWouldBlock; a peer
// that went away is a ChannelClosed error.
Result<SendOutcome> SendPacket(int fd, const std::string& bytes, const std::vector<int>& fds);

// One received packet. The fds are owned here: whoever drops the packet closes them.
struct Packet {
  std::string bytes;
  std::vector<UniqueFd> fds;
  bool truncated_bytes = false;  // MSG_TRUNC: longer than max_bytes
  bool truncated_fds = false;    // MSG_CTRUNC: more fds than max_fds (the extra ones the kernel closed)
};

enum class RecvOutcome { kPacket, kWouldBlock, kEndOfStream };

// Receives one packet (MSG_CMSG_CLOEXEC) of at most max_bytes (read into `scratch`, which holds
// max_bytes) and max_fds (at most kMaxFdsPerPacket). A zero-length read is the end of stream
// (Geyser never sends an empty packet).
Result<RecvOutcome> RecvPacket(int fd, char* scratch, size_t max_bytes, size_t max_fds, Packet* out);

constexpr size_t kMaxFdsPerPacket = 253;  // SCM_MAX_FD in the Linux kernel

}  // namespace geyser
