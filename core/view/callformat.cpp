#include "view/callformat.h"

#include "view/stagestate.h"

#include "script/catalog.h"
#include "sys/errors.h"

#include <QCoreApplication>

namespace sl::ui {

using script::CallId;

namespace {

bool countsBytes(CallId id) {
    switch (id) {
    case CallId::Send:
    case CallId::Recv:
    case CallId::Sendto:
    case CallId::Recvfrom:
    case CallId::Write:
    case CallId::Read:
    case CallId::Sendall:
    case CallId::RecvExactly:
        return true;
    default:
        return false;
    }
}

} // namespace

QStringList splitArgs(const QString &args) {
    QStringList out;
    int depth = 0;
    QChar quote;
    QString cur;
    for (const QChar c : args) {
        if (!quote.isNull()) {
            if (c == quote)
                quote = QChar();
        } else if (c == u'"' || c == u'\'') {
            quote = c;
        } else if (c == u'(' || c == u'[' || c == u'{') {
            ++depth;
        } else if (c == u')' || c == u']' || c == u'}') {
            --depth;
        } else if (c == u',' && depth == 0) {
            out << cur.trimmed();
            cur.clear();
            continue;
        }
        cur += c;
    }
    if (!cur.trimmed().isEmpty())
        out << cur.trimmed();
    return out;
}

QString callText(const trace::Trace &trace, const trace::Event &begin) {
    const CallId id = CallId(begin.call.call);
    if (id == CallId::Block)
        return QCoreApplication::translate("sl::ui::Sequence", "block at line %1").arg(begin.line);
    const QString name = QString::fromLatin1(script::callName(id));
    if (countsBytes(id) && begin.call.asked >= 0)
        return name + u'(' + QString::number(begin.call.asked) + u')';
    return name + u'(' + shownText(trace.text(begin.call.args)) + u')';
}

QString resultText(const trace::Event &end) {
    if (end.call.err != 0)
        return QStringLiteral("%1 (%2)").arg(
            QString::fromLatin1(sys::errnoName(end.call.err)),
            QString::fromLatin1(sys::pythonExceptionName(end.call.err)));
    return QString::number(end.call.ret);
}

QString cCallText(const trace::Trace &trace, const trace::Event &begin, int fd) {
    const CallId id = CallId(begin.call.call);
    QStringList args = splitArgs(shownText(trace.text(begin.call.args)));
    if (countsBytes(id) && begin.call.asked >= 0 && !args.isEmpty())
        args[0] = QString::number(begin.call.asked);
    return script::cEquivalent(id, fd, args);
}

} // namespace sl::ui
