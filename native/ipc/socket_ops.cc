#include "ipc/socket_ops.h"

#include <fcntl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace geyser {
namespace {

constexpr size_t kMaxPathBytes = sizeof(sockaddr_un::sun_path) - 1;

Error ErrnoError(const std::string& code, const std::string& what, int err) {
  const char* name = strerrorname_np(err);
  return MakeError(code, what + ": " + ErrnoText(err), name != nullptr ? name : "");
}

Result<sockaddr_un> AddressOf(const std::string& path) {
  if (path.empty() || path.size() > kMaxPathBytes) {
    return MakeError("Other", "socket path '" + path + "' must be 1 to " + std::to_string(kMaxPathBytes) +
                                  " bytes long (AF_UNIX limit) but is " + std::to_string(path.size()));
  }
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  std::memcpy(address.sun_path, path.data(), path.size());
  return address;
}

Result<UniqueFd> NewSocket(bool nonblocking) {
  int flags = SOCK_SEQPACKET | SOCK_CLOEXEC | (nonblocking ? SOCK_NONBLOCK : 0);
  UniqueFd fd(::socket(AF_UNIX, flags, 0));
  if (!fd.valid()) return ErrnoError("Other", "socket(AF_UNIX, SOCK_SEQPACKET) failed", errno);
  return fd;
}

// An existing socket file is stale when nobody accepts on it (ECONNREFUSED); then it may go.
Status ClearStaleSocket(const std::string& path, const sockaddr_un& address) {
  struct stat info {};
  if (::lstat(path.c_str(), &info) != 0) {
    if (errno == ENOENT) return Ok{};
    return ErrnoError("Other", "cannot inspect socket path '" + path + "'", errno);
  }
  if (!S_ISSOCK(info.st_mode)) {
    return MakeError("Other", "refusing to listen at '" + path + "': it exists and is not a socket", "EEXIST");
  }
  auto probe = NewSocket(true);
  if (!probe) return probe.error();
  if (::connect(probe.value().get(), reinterpret_cast<const sockaddr*>(&address), sizeof(address)) != 0 &&
      errno == ECONNREFUSED) {
    if (::unlink(path.c_str()) != 0 && errno != ENOENT) {
      return ErrnoError("Other", "cannot remove stale socket '" + path + "'", errno);
    }
    return Ok{};
  }
  return MakeError("Other", "refusing to listen at '" + path + "': a server is already accepting there", "EADDRINUSE");
}

std::string DirectoryOf(const std::string& path) {
  size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

}  // namespace

Result<BoundListener> CreateListener(const std::string& path, int backlog) {
  auto address = AddressOf(path);
  if (!address) return address.error();
  if (auto cleared = ClearStaleSocket(path, address.value()); !cleared) return cleared.error();

  // Bind inside a private 0700 directory so the file is never reachable before its mode is 0600,
  // without touching the process-wide umask (other threads create files too).
  std::string staging = DirectoryOf(path) + "/.geyser-XXXXXX";
  if (::mkdtemp(staging.data()) == nullptr) {
    return ErrnoError("Other", "cannot create a staging directory beside '" + path + "'", errno);
  }
  const std::string staged = staging + "/s";
  auto cleanup = [&] {
    ::unlink(staged.c_str());
    ::rmdir(staging.c_str());
  };
  auto staged_address = AddressOf(staged);
  if (!staged_address) {
    cleanup();
    return staged_address.error();
  }
  auto socket = NewSocket(true);
  if (!socket) {
    cleanup();
    return socket.error();
  }
  BoundListener listener{socket.take()};
  int fd = listener.fd.get();
  const sockaddr* raw = reinterpret_cast<const sockaddr*>(&staged_address.value());
  if (::bind(fd, raw, sizeof(sockaddr_un)) != 0 || ::chmod(staged.c_str(), 0600) != 0 || ::listen(fd, backlog) != 0) {
    int err = errno;
    cleanup();
    return ErrnoError("Other", "cannot listen at '" + path + "'", err);
  }
  // link() never replaces: if someone created the path meanwhile, we fail instead of clobbering it.
  if (::link(staged.c_str(), path.c_str()) != 0) {
    int err = errno;
    cleanup();
    return ErrnoError("Other", "cannot publish socket at '" + path + "'", err);
  }
  cleanup();
  struct stat info {};
  if (::lstat(path.c_str(), &info) != 0) return ErrnoError("Other", "cannot inspect socket '" + path + "'", errno);
  listener.dev = info.st_dev;
  listener.ino = info.st_ino;
  return listener;
}

void RemoveListenerFile(const std::string& path, dev_t dev, ino_t ino) {
  struct stat info {};
  if (::lstat(path.c_str(), &info) == 0 && info.st_dev == dev && info.st_ino == ino) ::unlink(path.c_str());
}

Result<UniqueFd> ConnectBlocking(const std::string& path, int timeout_ms) {
  auto address = AddressOf(path);
  if (!address) return address.error();
  auto socket = NewSocket(false);
  if (!socket) return socket.error();
  UniqueFd fd = socket.take();
  if (timeout_ms > 0) {
    // AF_UNIX connect() honours SO_SNDTIMEO while it waits for room in the server's backlog.
    timeval timeout{timeout_ms / 1000, (timeout_ms % 1000) * 1000};
    ::setsockopt(fd.get(), SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof(timeout));
  }
  if (::connect(fd.get(), reinterpret_cast<const sockaddr*>(&address.value()), sizeof(sockaddr_un)) != 0) {
    int err = errno;
    if (err == EAGAIN || err == EINPROGRESS) {
      return MakeError("Timeout", "connecting to '" + path + "' timed out after " + std::to_string(timeout_ms) +
                                      " ms: the server is not accepting", "ETIMEDOUT");
    }
    return ErrnoError("Other", "cannot connect to ShareChannel server at '" + path + "'", err);
  }
  timeval forever{0, 0};
  ::setsockopt(fd.get(), SOL_SOCKET, SO_SNDTIMEO, &forever, sizeof(forever));
  int flags = ::fcntl(fd.get(), F_GETFL);
  if (flags < 0 || ::fcntl(fd.get(), F_SETFL, flags | O_NONBLOCK) != 0) {
    return ErrnoError("Other", "cannot make the socket non-blocking", errno);
  }
  return fd;
}

Result<std::pair<UniqueFd, UniqueFd>> SocketPair() {
  int fds[2];
  if (::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0, fds) != 0) {
    return ErrnoError("Other", "socketpair(AF_UNIX, SOCK_SEQPACKET) failed", errno);
  }
  return std::make_pair(UniqueFd(fds[0]), UniqueFd(fds[1]));
}

Status AdoptSocket(int fd) {
  int domain = 0;
  int type = 0;
  socklen_t length = sizeof(int);
  if (::getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &domain, &length) != 0) {
    return ErrnoError("InvalidTextureHandle", "fd " + std::to_string(fd) + " is not a socket", errno);
  }
  length = sizeof(int);
  ::getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &length);
  if (domain != AF_UNIX || type != SOCK_SEQPACKET) {
    return MakeError("InvalidTextureHandle",
                     "fd " + std::to_string(fd) + " is not an AF_UNIX SOCK_SEQPACKET socket (from ShareChannel.pair())");
  }
  int flags = ::fcntl(fd, F_GETFL);
  if (flags < 0 || ::fcntl(fd, F_SETFL, flags | O_NONBLOCK) != 0 || ::fcntl(fd, F_SETFD, FD_CLOEXEC) != 0) {
    return ErrnoError("Other", "cannot make fd " + std::to_string(fd) + " non-blocking", errno);
  }
  return Ok{};
}

Result<PeerCredentials> GetPeerCredentials(int fd) {
  ucred cred{};
  socklen_t length = sizeof(cred);
  if (::getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &length) != 0) {
    return ErrnoError("Other", "SO_PEERCRED failed on fd " + std::to_string(fd), errno);
  }
  return PeerCredentials{cred.pid, cred.uid, cred.gid};
}

Result<SendOutcome> SendPacket(int fd, const std::string& bytes, const std::vector<int>& fds) {
  iovec iov{const_cast<char*>(bytes.data()), bytes.size()};
  msghdr message{};
  message.msg_iov = &iov;
  message.msg_iovlen = 1;
  std::vector<char> control;
  if (!fds.empty()) {
    control.assign(CMSG_SPACE(fds.size() * sizeof(int)), 0);
    message.msg_control = control.data();
    message.msg_controllen = control.size();
    cmsghdr* header = CMSG_FIRSTHDR(&message);
    header->cmsg_level = SOL_SOCKET;
    header->cmsg_type = SCM_RIGHTS;
    header->cmsg_len = CMSG_LEN(fds.size() * sizeof(int));
    std::memcpy(CMSG_DATA(header), fds.data(), fds.size() * sizeof(int));
  }
  ssize_t sent;
  do {
    sent = ::sendmsg(fd, &message, MSG_NOSIGNAL | MSG_DONTWAIT);
  } while (sent < 0 && errno == EINTR);
  if (sent >= 0) return SendOutcome::kSent;
  int err = errno;
  if (err == EAGAIN || err == EWOULDBLOCK) return SendOutcome::kWouldBlock;
  if (err == EPIPE || err == ECONNRESET || err == ENOTCONN) return ErrnoError("ChannelClosed", "the peer closed the channel", err);
  if (err == EBADF && !fds.empty()) return ErrnoError("InvalidTextureHandle", "a handle's fd is not open in this process", err);
  return ErrnoError("Other", "sendmsg failed", err);
}

Result<RecvOutcome> RecvPacket(int fd, char* scratch, size_t max_bytes, size_t max_fds, Packet* out) {
  iovec iov{scratch, max_bytes};
  alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int) * kMaxFdsPerPacket)];
  size_t control_size = CMSG_SPACE(sizeof(int) * (max_fds < kMaxFdsPerPacket ? max_fds : kMaxFdsPerPacket));
  msghdr message{};
  message.msg_iov = &iov;
  message.msg_iovlen = 1;
  message.msg_control = max_fds > 0 ? control : nullptr;
  message.msg_controllen = max_fds > 0 ? control_size : 0;
  ssize_t received;
  do {
    received = ::recvmsg(fd, &message, MSG_CMSG_CLOEXEC | MSG_DONTWAIT);
  } while (received < 0 && errno == EINTR);
  if (received < 0) {
    int err = errno;
    if (err == EAGAIN || err == EWOULDBLOCK) return RecvOutcome::kWouldBlock;
    if (err == ECONNRESET || err == ENOTCONN) return RecvOutcome::kEndOfStream;
    return ErrnoError("Other", "recvmsg failed", err);
  }
  out->fds.clear();
  for (cmsghdr* header = message.msg_controllen > 0 ? CMSG_FIRSTHDR(&message) : nullptr; header != nullptr;
       header = CMSG_NXTHDR(&message, header)) {
    if (header->cmsg_level != SOL_SOCKET || header->cmsg_type != SCM_RIGHTS) continue;
    size_t count = (header->cmsg_len - CMSG_LEN(0)) / sizeof(int);
    for (size_t i = 0; i < count; ++i) {
      int received_fd;
      std::memcpy(&received_fd, CMSG_DATA(header) + i * sizeof(int), sizeof(int));
      out->fds.emplace_back(received_fd);
    }
  }
  out->bytes.assign(scratch, static_cast<size_t>(received));
  out->truncated_bytes = (message.msg_flags & MSG_TRUNC) != 0;
  out->truncated_fds = (message.msg_flags & MSG_CTRUNC) != 0;
  if (received == 0 && out->fds.empty() && !out->truncated_fds) return RecvOutcome::kEndOfStream;
  return RecvOutcome::kPacket;
}

}  // namespace geyser
