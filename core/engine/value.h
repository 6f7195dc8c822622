// Values of the .lab language: Python's None, bool, int, float, str, bytes, tuple,
// list, dict, plus sockets and actors. A socket value shares ownership of its LabSocket
// entry, so a value can outlive the name it was bound to (as in Python).
//
// A list or a dict is one object however many names refer to it, as in Python
// (`b = a; b.append(1)` changes a): values share a Shared box. Its contents are
// copy-on-write under the box's lock, so one actor may read a list while another
// appends to it (actors are threads); a reader takes a snapshot.
//
// Thread affinity: a Value is a plain value type; copies may cross threads. The
// LabSocket it may point to is itself thread-safe (see sockettable.h), and so is a
// Shared box.
#pragma once

#include <QByteArray>
#include <QString>
#include <memory>
#include <mutex>
#include <vector>

namespace sl::engine {

struct LabSocket;
struct BoundObject; // engine/bindings/bound.h
struct Value;
class Shared;
namespace lang {
struct Object; // functions, classes, instances, exceptions (lang/object.h)
}
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
        Wire,   // i: index in LabContext::wires (engine/wire.h)
        Dict,   // obj: keys and values, alternating, in insertion order (as Python's)
        Object, // pyobj: a def, a class, an instance or an exception (engine/lang/object.h)
        Bound   // bound: a library object (select.poll(), makefile(), …: engine/bindings/)
    };
    Type type = Type::None;
    std::int64_t i = 0; // Bool, Int, Actor index
    double f = 0;
    QString s;
    QByteArray b;
    std::shared_ptr<const ValueList> items; // Tuple
    std::shared_ptr<Shared> obj;            // List, Dict: shared and mutable
    std::shared_ptr<LabSocket> sock;
    std::shared_ptr<lang::Object> pyobj;   // Object
    std::shared_ptr<BoundObject> boundObj; // Bound

    static Value none() { return {}; }
    static Value boolean(bool v);
    static Value integer(std::int64_t v);
    static Value real(double v);
    static Value str(const QString &v);
    static Value bytes(const QByteArray &v);
    static Value tuple(ValueList v);
    static Value list(ValueList v);
    static Value dict(ValueList keysAndValues); // k0, v0, k1, v1, … (keys distinct)
    static Value socket(std::shared_ptr<LabSocket> s);
    static Value actor(int index);
    static Value wire(int index);                       // defined in wirecalls.cpp
    static Value bound(std::shared_ptr<BoundObject> o); // defined in bindings/bound.cpp

    bool isNone() const { return type == Type::None; }
    bool isNumber() const { return type == Type::Int || type == Type::Bool || type == Type::Float; }
    bool isSequence() const { return type == Type::Tuple || type == Type::List; }
    bool truthy() const;
    double toDouble() const;
    // Tuple/List items (a Dict's keys and values, alternating), as a copy taken now: a
    // list may change while the copy is used. Empty for other types.
    ValueList seq() const;
    // The same without a copy: the contents now, immutable (a snapshot of a list).
    std::shared_ptr<const ValueList> snapshot() const;
    std::size_t count() const; // items of a Tuple/List, entries of a Dict

    // Python's repr(): b'abc', 'x', (1, 2), [s], {'a': 1}, <socket fd=5 conn>. Long bytes
    // are shortened with an ellipsis and their length unless maxBytes is -1 (repr() and
    // str() of the language: exactly CPython's text).
    QString repr(int maxBytes = 40) const;
    // str() as used by narration: ints plain, bytes as repr, str without quotes.
    QString display() const;
    // CPython's str(): repr() without shortening, a str as itself.
    QString pyStr() const;
    const char *typeName() const; // "int", "bytes", "socket", …
    bool equals(const Value &o) const;
};

// CPython's repr() of a str ('it', "it's", '\x00') and of a float (0.1, 1e+16).
QString strRepr(const QString &s);
QString floatRepr(double f);

// The box of a list or a dict (see the top of this file).
class Shared {
public:
    explicit Shared(ValueList v)
        : m_items(std::make_shared<const ValueList>(std::move(v))) {}
    std::shared_ptr<const ValueList> snapshot() const {
        std::lock_guard lock(m_mutex);
        return m_items;
    }
    // Runs f(ValueList &) on the contents: in place when no snapshot of them is held
    // elsewhere, else on a copy that then replaces them. Returns what f returns.
    template <class F>
    auto mutate(F &&f) {
        std::lock_guard lock(m_mutex);
        if (m_items.use_count() != 1)
            m_items = std::make_shared<const ValueList>(*m_items);
        return f(const_cast<ValueList &>(*m_items));
    }

private:
    mutable std::mutex m_mutex;
    std::shared_ptr<const ValueList> m_items;
};

} // namespace sl::engine
