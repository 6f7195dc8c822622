// `del name` (issue 10, lesson 13): unbinds a name, and — as CPython's reference counting
// does — closes a socket when that name held its last reference. "Last" is read the way
// a collector would: no other name, list, tuple, dict or object attribute of the shared
// names (nor a local of the running def) refers to it, no makefile() object is open on
// it (CPython's file holds the socket) and no call is inside it (a running method holds
// `self`). The lab's own `result` of the previous step does not count: Python has no
// such reference.
#include "engine/interpreter.h"
#include "engine/lang/object.h"
#include "engine/sockettable.h"

#include <algorithm>

namespace sl::engine {

using script::CallId;
using script::Expr;

// Depth-limited: a list that contains itself is seen once per level, not for ever.
static bool refersTo(const Value &v, const LabSocket *s, int depth) {
    if (depth > 32)
        return false;
    switch (v.type) {
    case Value::Type::Socket:
        return v.sock.get() == s;
    case Value::Type::Tuple:
    case Value::Type::List:
    case Value::Type::Dict: {
        const auto items = v.snapshot();
        if (items)
            for (const Value &x : *items)
                if (refersTo(x, s, depth + 1))
                    return true;
        return false;
    }
    case Value::Type::Object:
        if (v.pyobj && v.pyobj->kind == lang::Object::Kind::Instance) {
            for (const Value &x : static_cast<const lang::Instance &>(*v.pyobj).values())
                if (refersTo(x, s, depth + 1))
                    return true;
        }
        return false;
    default:
        return false;
    }
}

static void collectSockets(const Value &v, std::vector<std::shared_ptr<LabSocket>> &out,
                           int depth) {
    if (depth > 32)
        return;
    if (v.type == Value::Type::Socket && v.sock) {
        if (std::find(out.begin(), out.end(), v.sock) == out.end())
            out.push_back(v.sock);
    } else if (v.type == Value::Type::Tuple || v.type == Value::Type::List ||
               v.type == Value::Type::Dict) {
        if (const auto items = v.snapshot())
            for (const Value &x : *items)
                collectSockets(x, out, depth + 1);
    } else if (v.type == Value::Type::Object && v.pyobj &&
               v.pyobj->kind == lang::Object::Kind::Instance) {
        for (const Value &x : static_cast<const lang::Instance &>(*v.pyobj).values())
            collectSockets(x, out, depth + 1);
    }
}

bool Interpreter::stillReferenced(const LabSocket *s) const {
    bool found = false;
    m_ctx.env.forEach([&](const Value &v) { found = found || refersTo(v, s, 0); });
    if (!found && m_frame)
        for (std::size_t k = 0; k < m_frame->values.size() && !found; ++k)
            found = m_frame->assigned[k] && refersTo(m_frame->values[k], s, 0);
    return found;
}

void Interpreter::delName(const Expr &name) {
    Value v;
    if (name.local >= 0 && m_frame) {
        const auto k = std::size_t(name.local);
        if (k >= m_frame->values.size() || !m_frame->assigned[k])
            raise("UnboundLocalError",
                  QStringLiteral("cannot access local variable '%1' where it is not associated "
                                 "with a value")
                      .arg(name.name),
                  true);
        std::swap(v, m_frame->values[k]);
        m_frame->assigned[k] = 0;
    } else if (name.slot < 0 || !m_ctx.env.take(name.slot, &v)) {
        raise("NameError", QStringLiteral("name '%1' is not defined").arg(name.name), true);
    }
    // The value goes; so do the sockets only it held (`del clients` frees the list and,
    // with it, every socket no other name refers to).
    std::vector<std::shared_ptr<LabSocket>> held;
    collectSockets(v, held, 0);
    v = Value();
    for (const auto &sp : held) {
        LabSocket &s = *sp;
        if (s.fd.load() < 0 || s.ioRefs.load() > 0 || s.inflight.load() > 0 || stillReferenced(&s))
            continue;
        // The last reference went: CPython's socket.__del__ closes the descriptor (with a
        // ResourceWarning). Recorded as a close() on the `del` line.
        CallMark m = begin(CallId::Close, nullptr, &s, -1);
        const int err = m_ctx.sockets.close(s);
        end(m, err ? -1 : 0, err, -1);
    }
}

} // namespace sl::engine
