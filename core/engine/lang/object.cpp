#include "engine/lang/object.h"

#include "script/pyexceptions.h"
#include "sys/errors.h"

#include <QMutex>

namespace sl::engine::lang {

Value objectValue(std::shared_ptr<Object> o) {
    Value v;
    v.type = Value::Type::Object;
    v.pyobj = std::move(o);
    return v;
}

bool Class::isSubclassOf(const Class &other) const {
    for (const Class *c = this; c; c = c->base.get())
        if (c == &other)
            return true;
    return false;
}

bool Class::isException() const {
    for (const Class *c = this; c; c = c->base.get())
        if (c->builtin)
            return true;
    return false;
}

bool Class::lookup(const QString &n, Value *out) const {
    for (const Class *c = this; c; c = c->base.get()) {
        const auto it = c->attributes.constFind(n);
        if (it != c->attributes.constEnd()) {
            *out = *it;
            return true;
        }
    }
    return false;
}

std::vector<Value> Instance::values() const {
    std::lock_guard lock(m_mutex);
    return std::vector<Value>(m_attrs.cbegin(), m_attrs.cend());
}

bool Instance::get(const QString &n, Value *out) const {
    std::lock_guard lock(m_mutex);
    const auto it = m_attrs.constFind(n);
    if (it == m_attrs.constEnd())
        return false;
    *out = *it;
    return true;
}

void Instance::set(const QString &n, Value v) {
    Value old;
    {
        std::lock_guard lock(m_mutex);
        Value &slot = m_attrs[n];
        std::swap(slot, v);
    } // the old value (maybe a socket's last owner) is released outside the lock
}

std::shared_ptr<const Class> builtinClass(const QString &name) {
    if (!script::isBuiltinException(name))
        return nullptr;
    // Made once per name and shared by every lab (immutable): `except OSError` in one
    // actor and an error raised in another compare the same objects.
    static QMutex mutex;
    static QHash<QString, std::shared_ptr<const Class>> made;
    QMutexLocker lock(&mutex);
    if (auto it = made.constFind(name); it != made.constEnd())
        return *it;
    auto c = std::make_shared<Class>();
    c->name = name;
    c->latinName = name.toLatin1();
    c->builtin = true;
    const QString base = script::builtinExceptionBase(name);
    if (!base.isEmpty()) {
        lock.unlock();
        c->base = builtinClass(base);
        lock.relock();
    }
    made.insert(name, c);
    return c;
}

Value makeException(const std::shared_ptr<const Class> &cls, ValueList args) {
    auto inst = std::make_shared<Instance>(cls);
    static const auto oserror = builtinClass(QStringLiteral("OSError"));
    if (cls->isSubclassOf(*oserror)) {
        // OSError(errno, strerror[, filename]): CPython fills errno and strerror only
        // from two or more arguments.
        const bool pair = args.size() >= 2 && args.size() <= 5;
        inst->set(QStringLiteral("errno"), pair ? args[0] : Value::none());
        inst->set(QStringLiteral("strerror"), pair ? args[1] : Value::none());
        inst->set(QStringLiteral("filename"), Value::none());
    }
    inst->set(QStringLiteral("args"), Value::tuple(std::move(args)));
    return objectValue(inst);
}

Value exceptionFromError(const QString &type, int err, const QString &message) {
    auto cls = builtinClass(type);
    if (!cls)
        return Value::none();
    if (err != 0)
        return makeException(cls, {Value::integer(err), Value::str(sys::errnoMessage(err))});
    if (type == QLatin1String("TimeoutError"))
        return makeException(cls, {Value::str(QStringLiteral("timed out"))});
    return makeException(cls, {Value::str(message)});
}

namespace {

ValueList argsOf(const Instance &i) {
    Value a;
    i.get(QStringLiteral("args"), &a);
    return a.seq();
}

} // namespace

QString objectRepr(const Object &o) {
    switch (o.kind) {
    case Object::Kind::Function: {
        const auto &f = static_cast<const Function &>(o);
        return QStringLiteral("<function %1>").arg(f.qualname);
    }
    case Object::Kind::Class: {
        const auto &c = static_cast<const Class &>(o);
        return c.builtin ? QStringLiteral("<class '%1'>").arg(c.name)
                         : QStringLiteral("<class '__main__.%1'>").arg(c.name);
    }
    case Object::Kind::BoundMethod: {
        const auto &b = static_cast<const BoundMethod &>(o);
        return QStringLiteral("<bound method %1 of %2>").arg(b.fn->qualname, b.self.repr());
    }
    case Object::Kind::Instance: {
        const auto &i = static_cast<const Instance &>(o);
        if (i.cls->isException()) {
            const ValueList args = argsOf(i);
            QStringList parts;
            for (const Value &v : args)
                parts << v.repr(1 << 20);
            return i.cls->name + u'(' + parts.join(QStringLiteral(", ")) + u')';
        }
        return QStringLiteral("<__main__.%1 object at 0x%2>")
            .arg(i.cls->name)
            .arg(quintptr(&i), 0, 16);
    }
    }
    return {};
}

QString objectStr(const Object &o) {
    if (o.kind != Object::Kind::Instance)
        return objectRepr(o);
    const auto &i = static_cast<const Instance &>(o);
    if (!i.cls->isException())
        return objectRepr(o);
    Value err, strerror;
    if (i.get(QStringLiteral("errno"), &err) && !err.isNone() &&
        i.get(QStringLiteral("strerror"), &strerror))
        return QStringLiteral("[Errno %1] %2").arg(err.display(), strerror.display());
    const ValueList args = argsOf(i);
    if (args.empty())
        return {};
    if (args.size() == 1)
        return args[0].display();
    return Value::tuple(args).repr(1 << 20);
}

const char *objectTypeName(const Object &o) {
    switch (o.kind) {
    case Object::Kind::Function:
        return "function";
    case Object::Kind::Class:
        return "type";
    case Object::Kind::BoundMethod:
        return "method";
    case Object::Kind::Instance:
        return static_cast<const Instance &>(o).cls->latinName.constData();
    }
    return "object";
}

} // namespace sl::engine::lang
