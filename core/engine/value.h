// Values of the .lab language: Python's None, bool, int, float, str, bytes, tuple,
// list, plus sockets and actors. A socket value shares ownership of its LabSocket
// entry, so a value can outlive the name it was bound to (as in Python).
//
// Thread affinity: a Value is a plain value type; copies may cross threads. The
// LabSocket it may point to is itself thread-safe (see sockettable.h).
#pragma once

#include <QByteArray>
#include <QString>
#include <memory>
#include <vector>

namespace sl::engine {

struct LabSocket;
struct BoundObject; // engine/bindings/bound.h
struct Value;
using ValueList = std::vector<Value>;

struct Value {
    enum class Type : std::uint8_t {
        None,
        Bool,
        Int,
        Float,
        Str,
        Bytes,
        Tuple,
        List,
        Socket,
        Actor,
        Wire, // i: index in LabContext::wires (engine/wire.h)
        Bound // obj: a library object (select.poll(), makefile(), …: engine/bindings/)
    };
    Type type = Type::None;
    std::int64_t i = 0; // Bool, Int, Actor index
    double f = 0;
    QString s;
    QByteArray b;
    std::shared_ptr<const ValueList> items; // Tuple, List
    std::shared_ptr<LabSocket> sock;
    std::shared_ptr<BoundObject> obj; // Bound

    static Value none() { return {}; }
    static Value boolean(bool v);
    static Value integer(std::int64_t v);
    static Value real(double v);
    static Value str(const QString &v);
    static Value bytes(const QByteArray &v);
    static Value tuple(ValueList v);
    static Value list(ValueList v);
    static Value socket(std::shared_ptr<LabSocket> s);
    static Value actor(int index);
    static Value wire(int index);                       // defined in wirecalls.cpp
    static Value bound(std::shared_ptr<BoundObject> o); // defined in bindings/bound.cpp

    bool isNone() const { return type == Type::None; }
    bool isNumber() const { return type == Type::Int || type == Type::Bool || type == Type::Float; }
    bool isSequence() const { return type == Type::Tuple || type == Type::List; }
    bool truthy() const;
    double toDouble() const;
    const ValueList &seq() const; // Tuple/List items (empty list otherwise)

    // Python's repr(): b'abc', 'x', (1, 2), [s], <socket fd=5 conn>. Long bytes are
    // shortened with an ellipsis and their length.
    QString repr(int maxBytes = 40) const;
    // str() as used by narration: ints plain, bytes as repr, str without quotes.
    QString display() const;
    const char *typeName() const; // "int", "bytes", "socket", …
    bool equals(const Value &o) const;
};

} // namespace sl::engine
