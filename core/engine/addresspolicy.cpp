#include "engine/addresspolicy.h"

namespace sl::engine {

QString addressRefusal(const QString &host, const sys::SockAddr &resolved, const char *call,
                       bool allowLan) {
    if (allowLan || resolved.isLoopback())
        return {};
    const QString h = host.trimmed();
    const QString address = resolved.host();
    QString shown = QLatin1Char('\'') + h + QLatin1Char('\'');
    if (resolved.isAny())
        shown += QStringLiteral(" (every address of this machine)");
    else if (h != address) // a name: say what it stands for, which is what was judged
        shown += QStringLiteral(" (which resolves to %1)").arg(address);
    return QStringLiteral("%1() to %2 refused: Socket Lab keeps experiments on loopback "
                          "(127.0.0.1), so nothing it does is reachable from, or sent to, the "
                          "network. Start the lab with --allow-lan to do this for real.")
        .arg(QLatin1String(call), shown);
}

} // namespace sl::engine
