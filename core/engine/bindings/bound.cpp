// Library objects (bound.h): their Values, reprs, method dispatch and attributes.
#include "engine/bindings/bound.h"

#include "engine/interpreter.h"
#include "sys/net.h"

#include <unistd.h>

using namespace sl::script;

namespace sl::engine {

BoundObject::~BoundObject() = default;

EpollObject::~EpollObject() {
    // The lab's reset drops every Value: an epoll descriptor the script never closed
    // goes with its last Value, as CPython closes it when the object is collected.
    if (fd >= 0)
        ::close(fd);
}

Watched *EpollObject::find(int wfd) {
    for (Watched &w : watched)
        if (w.fd == wfd)
            return &w;
    return nullptr;
}

Value Value::bound(std::shared_ptr<BoundObject> o) {
    Value r;
    r.type = Type::Bound;
    r.boundObj = std::move(o);
    return r;
}

const char *boundTypeName(const Value &v) {
    if (!v.boundObj)
        return "object";
    switch (v.boundObj->kind) {
    case BoundObject::Kind::Poll:
        return "poll";
    case BoundObject::Kind::Epoll:
        return "epoll";
    case BoundObject::Kind::Selector:
        return "EpollSelector";
    case BoundObject::Kind::File: {
        const auto &f = static_cast<const FileObject &>(*v.boundObj);
        if (f.bufferSize == 0)
            return "SocketIO";
        if (!f.binary)
            return "TextIOWrapper";
        return f.reading && f.writing ? "BufferedRWPair"
               : f.reading            ? "BufferedReader"
                                      : "BufferedWriter";
    }
    }
    return "object";
}

// As CPython's, without the memory address (it would differ from run to run).
QString boundRepr(const Value &v) {
    if (!v.boundObj)
        return QStringLiteral("<object>");
    const QString type = QLatin1String(boundTypeName(v));
    switch (v.boundObj->kind) {
    case BoundObject::Kind::Poll:
    case BoundObject::Kind::Epoll:
        return QStringLiteral("<select.%1 object>").arg(type);
    case BoundObject::Kind::Selector:
        return QStringLiteral("<selectors.%1 object>").arg(type);
    case BoundObject::Kind::File: {
        const auto &f = static_cast<const FileObject &>(*v.boundObj);
        if (f.bufferSize == 0)
            return QStringLiteral("<socket.SocketIO>");
        if (f.reading && f.writing)
            return QStringLiteral("<_io.BufferedRWPair object>");
        const int fd = f.sock ? f.sock->fd.load() : -1;
        if (!f.binary)
            return QStringLiteral("<_io.TextIOWrapper name=%1 mode='%2' encoding='utf-8'>")
                .arg(fd)
                .arg(f.mode);
        return QStringLiteral("<_io.%1 name=%2>").arg(type).arg(fd);
    }
    }
    return {};
}

Value Interpreter::callBoundMethod(const Expr &e, const Value &obj, const ValueList &args) {
    BoundObject &o = *obj.boundObj;
    switch (o.kind) {
    case BoundObject::Kind::Poll:
        return pollMethod(e, static_cast<PollObject &>(o), args);
    case BoundObject::Kind::Epoll:
        return epollMethod(e, static_cast<EpollObject &>(o), args);
    case BoundObject::Kind::Selector:
        return selectorMethod(e, static_cast<EpollObject &>(o), args);
    case BoundObject::Kind::File:
        return fileMethod(e, static_cast<FileObject &>(o), args);
    }
    raise("AttributeError", QStringLiteral("no method '%1'").arg(e.name), true);
}

Value Interpreter::boundAttribute(const Value &obj, const QString &name) {
    // A selector key is a tuple (fileobj, fd, events, data), as CPython's namedtuple
    // SelectorKey: key[0] and key.fileobj are the same.
    if (obj.type == Value::Type::Tuple && obj.s == QLatin1String("SelectorKey")) {
        static const char *const fields[] = {"fileobj", "fd", "events", "data"};
        for (int k = 0; k < 4; ++k)
            if (name == QLatin1String(fields[k]))
                return obj.seq().at(std::size_t(k));
    }
    if (obj.type == Value::Type::Bound && obj.boundObj) {
        BoundObject &o = *obj.boundObj;
        std::lock_guard lock(o.mutex);
        if (o.kind == BoundObject::Kind::Epoll && name == QLatin1String("closed"))
            return Value::boolean(static_cast<EpollObject &>(o).fd < 0);
        if (o.kind == BoundObject::Kind::File) {
            const auto &f = static_cast<FileObject &>(o);
            if (name == QLatin1String("closed"))
                return Value::boolean(f.closed);
            if (name == QLatin1String("mode") && (!f.binary || f.bufferSize == 0))
                return Value::str(f.mode);
        }
    }
    raise("AttributeError",
          QStringLiteral("'%1' object has no attribute '%2'")
              .arg(obj.type == Value::Type::Tuple && obj.s == QLatin1String("SelectorKey")
                       ? QStringLiteral("SelectorKey")
                       : QLatin1String(obj.typeName()),
                   name),
          true);
}

} // namespace sl::engine
