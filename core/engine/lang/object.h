// The Python objects of the .lab language beyond plain values (issue 9): functions
// (`def`), classes (`class`, and Python's built-in exception classes), instances
// (objects of a class, exceptions included) and bound methods. A Value of type Object
// shares ownership of one.
//
// Pure language: nothing here makes a system call or needs a Lab, so it is testable
// alone. The interpreter runs a Function's body; this file only describes the objects.
//
// Thread affinity: a Function, a Class and a BoundMethod are immutable once made and may
// be read from any thread. An Instance may be shared by actors (like any Python object
// shared by threads): its attributes are guarded by its own mutex.
#pragma once

#include "engine/value.h"
#include "script/ast.h"

#include <QHash>
#include <QString>
#include <memory>
#include <mutex>

namespace sl::engine::lang {

struct Object {
    enum class Kind : std::uint8_t { Function, Class, Instance, BoundMethod };
    explicit Object(Kind k)
        : kind(k) {}
    virtual ~Object() = default;
    const Kind kind;
};

struct Class;

struct Function : Object {
    Function()
        : Object(Kind::Function) {}
    const script::Stmt *def = nullptr; // the `def` (its Program outlives every run)
    QString name;                      // "mysend"
    QString qualname;                  // "MySocket.mysend", as CPython's messages name it
    ValueList defaults;                // per parameter (meaningful where hasDefault)
    std::vector<bool> hasDefault;
};

struct Class : Object {
    Class()
        : Object(Kind::Class) {}
    QString name;
    QByteArray latinName; // typeName() hands out a const char *
    std::shared_ptr<const Class> base;
    bool builtin = false;             // one of Python's exception classes
    QHash<QString, Value> attributes; // methods (Function values) and class attributes

    bool isSubclassOf(const Class &other) const;        // this, or a class derived from it
    bool isException() const;                           // derives from BaseException
    bool lookup(const QString &name, Value *out) const; // here or in a base class
};

struct Instance : Object {
    explicit Instance(std::shared_ptr<const Class> c)
        : Object(Kind::Instance)
        , cls(std::move(c)) {}
    const std::shared_ptr<const Class> cls;

    bool get(const QString &name, Value *out) const;
    void set(const QString &name, Value v);
    std::vector<Value> values() const; // every attribute's value (`del name` looks for refs)

private:
    mutable std::mutex m_mutex;
    QHash<QString, Value> m_attrs;
};

struct BoundMethod : Object {
    BoundMethod(Value s, std::shared_ptr<const Function> f)
        : Object(Kind::BoundMethod)
        , self(std::move(s))
        , fn(std::move(f)) {}
    const Value self;
    const std::shared_ptr<const Function> fn;
};

// Python's built-in exception class of that name (BaseException … ConnectionResetError),
// shared by every lab; null when the name is not one.
std::shared_ptr<const Class> builtinClass(const QString &name);

// An exception object as CPython makes it: args, and for OSError and its subclasses
// with two or more arguments errno and strerror (None otherwise).
Value makeException(const std::shared_ptr<const Class> &cls, ValueList args);
// The exception a failed call raised, as the object `except … as e` binds: an errno
// gives (errno, strerror) as CPython's OSError(errno, strerror); err 0 with a
// TimeoutError gives ('timed out',), errno None; other types take the message.
Value exceptionFromError(const QString &type, int err, const QString &message);

QString objectRepr(const Object &o); // RuntimeError('broken'), <MySocket object at 0x…>
QString objectStr(const Object &o);  // str(e): "[Errno 11] Resource temporarily unavailable"
const char *objectTypeName(const Object &o); // "MySocket", "function", "type"

template <class T>
const T *as(const Value &v, Object::Kind k) {
    return v.type == Value::Type::Object && v.pyobj && v.pyobj->kind == k
               ? static_cast<const T *>(v.pyobj.get())
               : nullptr;
}
inline const Function *asFunction(const Value &v) {
    return as<Function>(v, Object::Kind::Function);
}
inline const Class *asClass(const Value &v) {
    return as<Class>(v, Object::Kind::Class);
}
inline Instance *asInstance(const Value &v) {
    return const_cast<Instance *>(as<Instance>(v, Object::Kind::Instance));
}
inline const BoundMethod *asBound(const Value &v) {
    return as<BoundMethod>(v, Object::Kind::BoundMethod);
}
Value objectValue(std::shared_ptr<Object> o);

} // namespace sl::engine::lang
