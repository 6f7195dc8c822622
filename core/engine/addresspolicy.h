// The lab's loopback policy (issue 10): a bind(), connect() or sendto() may name only
// an address on loopback — 127.0.0.0/8 or ::1 — unless the lab was started with
// --allow-lan. The policy judges the address a host name RESOLVED to, not the name:
// this machine's own name (socket.gethostname()) usually resolves to loopback through
// /etc/hosts (127.0.0.1 here, 127.0.1.1 on Debian) and is allowed; a name that resolves
// to a LAN address, '' and '0.0.0.0' (every address of this machine) are refused.
//
// Thread affinity: none (a pure function).
#pragma once

#include "sys/net.h"

#include <QString>

namespace sl::engine {

// The LabPolicyError message for `call` to `host` (as the script wrote it) that resolved
// to `resolved`, or an empty string when the policy allows it. The message names the host
// and, when it was a name, the address it resolved to.
QString addressRefusal(const QString &host, const sys::SockAddr &resolved, const char *call,
                       bool allowLan);

} // namespace sl::engine
