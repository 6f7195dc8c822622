// The Python statements of the .lab language (issue 9): def, class, return, raise,
// try/except/else/finally, with, and the targets they bind (a def's locals, `self.x`,
// `a, b`). Calls of user functions and classes are in pycalls.cpp.
#include "engine/interpreter.h"

using namespace sl::script;

namespace sl::engine {

Interpreter::Flow Interpreter::execPy(const Stmt &s) {
    switch (s.kind) {
    case StmtKind::Def:
        m_ctx.env.set(s.targetSlots.at(0), makeFunction(s, s.name));
        return Flow::Normal;
    case StmtKind::Class:
        makeClass(s);
        return Flow::Normal;
    case StmtKind::Return:
        m_returnValue = s.expr ? eval(*s.expr) : Value::none();
        return Flow::Return;
    case StmtKind::Raise: {
        if (!s.expr) {
            if (m_handling.empty())
                raise("RuntimeError", QStringLiteral("No active exception to reraise"), true);
            throw m_handling.back(); // a bare raise: the exception being handled, as it was
        }
        Value v = eval(*s.expr);
        if (const lang::Class *c = lang::asClass(v); c && c->isException()) // raise E
            v = callValue(v, {}, {}, s.expr.get());
        raiseValue(v);
    }
    case StmtKind::Try:
        return execTry(s);
    case StmtKind::With:
        return execWith(s);
    default: // Import (the modules are always there), Global (resolved by the parser)
        return Flow::Normal;
    }
}

Interpreter::Flow Interpreter::execFinally(const Stmt &s) {
    if (s.finalbody.empty())
        return Flow::Normal;
    const Value returning = m_returnValue; // a `return` in try keeps its value
    const Flow f = execBlock(s.finalbody);
    if (f == Flow::Normal)
        m_returnValue = returning;
    return f;
}

Interpreter::Flow Interpreter::execTry(const Stmt &s) {
    Flow f = Flow::Normal;
    try {
        bool handled = false;
        try {
            f = execBlock(s.body);
        } catch (const ScriptException &ex) {
            if (s.handlers.empty())
                throw;
            const Value exc = exceptionValue(ex); // None: the lab's own, never caught
            const Handler *match = nullptr;
            if (!exc.isNone()) {
                for (const Handler &h : s.handlers) {
                    m_line = h.span.line;
                    if (!h.type || matches(eval(*h.type), exc)) {
                        match = &h;
                        break;
                    }
                }
            }
            if (!match)
                throw;
            handled = true;
            ScriptException current = ex;
            current.value = exc;
            m_handling.push_back(current);
            struct Pop {
                std::vector<ScriptException> &v;
                ~Pop() { v.pop_back(); }
            } pop{m_handling};
            if (match->name)
                store(*match->name, exc);
            f = execBlock(match->body);
        }
        if (!handled && f == Flow::Normal)
            f = execBlock(s.orelse);
    } catch (const ScriptException &ex) {
        // finally runs on the way out, except when the lab is being reset
        if (ex.type != QLatin1String("LabReset")) {
            const Flow ff = execFinally(s);
            if (ff != Flow::Normal)
                return ff; // a return/break in finally drops the exception, as in Python
        }
        throw;
    }
    const Flow ff = execFinally(s);
    return ff != Flow::Normal ? ff : f;
}

// `with X as s:` — a socket (or anything with close(), as the Wire and the objects
// makefile() gives) is closed when the block ends, however it ends; a class with
// __enter__/__exit__ has them called as CPython does.
Interpreter::Flow Interpreter::execWith(const Stmt &s) {
    const Value v = eval(*s.expr);
    lang::Instance *inst = lang::asInstance(v);
    Value enter, exit;
    if (inst && !(inst->cls->lookup(QStringLiteral("__enter__"), &enter) &&
                  inst->cls->lookup(QStringLiteral("__exit__"), &exit)))
        inst = nullptr, enter = Value::none();
    using T = Value::Type;
    // Plain values have no close(); kinds added later (a file from makefile()) may.
    const bool plain = v.type == T::None || v.type == T::Bool || v.type == T::Int ||
                       v.type == T::Float || v.type == T::Str || v.type == T::Bytes ||
                       v.type == T::Tuple || v.type == T::List || v.type == T::Actor;
    const bool closable = v.type == T::Object ? inst != nullptr : !plain;
    if (!closable)
        raise("TypeError",
              QStringLiteral("'%1' object does not support the context manager protocol")
                  .arg(QLatin1String(v.typeName())),
              true);
    store(*s.exitCall->kids.at(0), v);
    Value entered = v;
    if (inst)
        entered = callValue(enter, {v}, {}, s.expr.get());
    if (s.lhs)
        store(*s.lhs, entered);
    auto leave = [&](const Value &excType, const Value &exc) -> bool {
        m_line = s.span.line;
        if (inst)
            return callValue(exit, {v, excType, exc, Value::none()}, {}, s.expr.get()).truthy();
        eval(*s.exitCall); // close()
        return false;
    };
    Flow f = Flow::Normal;
    try {
        f = execBlock(s.body);
    } catch (const ScriptException &ex) {
        if (ex.type == QLatin1String("LabReset"))
            throw;
        const Value exc = exceptionValue(ex);
        Value type;
        if (auto *i = lang::asInstance(exc))
            type = lang::objectValue(std::const_pointer_cast<lang::Class>(i->cls));
        if (leave(type, exc))
            return Flow::Normal; // __exit__ returned True: the exception is suppressed
        throw;
    }
    leave(Value::none(), Value::none());
    return f;
}

Value Interpreter::loadLocal(const Expr &e) {
    const auto k = std::size_t(e.local);
    if (k < m_frame->values.size() && m_frame->assigned[k])
        return m_frame->values[k];
    raise("UnboundLocalError",
          QStringLiteral("cannot access local variable '%1' where it is not associated with "
                         "a value")
              .arg(e.name),
          true);
}

void Interpreter::bindTarget(const Stmt &s, Value &&v) {
    if (!s.complexTarget) {
        assign(s, std::move(v));
        return;
    }
    if (s.kind == StmtKind::AugAssign) {
        const Value cur = eval(*s.lhs);
        if (cur.type == Value::Type::Bytes && v.type == Value::Type::Bytes)
            checkSize(cur.b.size() + v.b.size(), "a bytes object");
        v = augmented(cur, v, s.op);
    }
    store(*s.lhs, std::move(v));
}

void Interpreter::store(const Expr &t, Value v) {
    switch (t.kind) {
    case ExprKind::Name:
        if (t.local >= 0 && m_frame) {
            const auto k = std::size_t(t.local);
            if (k >= m_frame->values.size()) { // (never: the frame has every local)
                m_frame->values.resize(k + 1);
                m_frame->assigned.resize(k + 1, 0);
            }
            std::swap(m_frame->values[k], v);
            m_frame->assigned[k] = 1;
        } else {
            m_ctx.env.set(t.slot, std::move(v));
        }
        return;
    case ExprKind::Tuple:
    case ExprKind::List: {
        if (!v.isSequence())
            raise("TypeError",
                  QStringLiteral("cannot unpack non-iterable %1 object")
                      .arg(QLatin1String(v.typeName())),
                  true);
        const auto items = v.snapshot(); // the contents now (a list may change)
        const ValueList &list = *items;
        if (list.size() != t.kids.size())
            raise("ValueError",
                  list.size() > t.kids.size()
                      ? QStringLiteral("too many values to unpack (expected %1)").arg(t.kids.size())
                      : QStringLiteral("not enough values to unpack (expected %1, got %2)")
                            .arg(t.kids.size())
                            .arg(list.size()),
                  true);
        for (std::size_t k = 0; k < list.size(); ++k)
            store(*t.kids[k], list[k]);
        return;
    }
    case ExprKind::Attr: {
        const Value obj = eval(*t.kids.at(0));
        if (lang::Instance *inst = lang::asInstance(obj)) {
            inst->set(t.name, std::move(v));
            return;
        }
        raise("AttributeError",
              QStringLiteral("'%1' object has no attribute '%2'")
                  .arg(QLatin1String(obj.typeName()), t.name),
              true);
    }
    default:
        raise("SyntaxError", QStringLiteral("cannot assign to %1").arg(t.text), true);
    }
}

} // namespace sl::engine
