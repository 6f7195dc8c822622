// Statements and expressions. Socket calls are in calls.cpp, helpers in helpers.cpp.
#include "engine/interpreter.h"

#include "sys/errors.h"

#include <QStringBuilder>
#include <cmath>
#include <new>
#include <stdexcept>
#include <sys/syscall.h>
#include <unistd.h>

using namespace sl::script;

namespace sl::engine {

Interpreter::Interpreter(LabContext &ctx, int actor)
    : m_ctx(ctx)
    , m_actor(actor) {}

void Interpreter::raise(const char *type, const QString &message, bool scriptError) {
    throw ScriptException{QString::fromLatin1(type), message, 0, scriptError};
}

StepOutcome Interpreter::runStep(const Stmt &step) {
    StepOutcome out;
    m_touched.clear();
    m_line = step.span.line;
    if (m_actor >= 0) // the line an ActorStatus (blocked) event names, for every step
        m_ctx.actors[m_actor].line.store(m_line, std::memory_order_relaxed);
    m_depth = 0;
    m_frame = nullptr;
    m_callDepth = 0;
    m_handling.clear();
    try {
        if (step.kind == StmtKind::For || step.kind == StmtKind::While ||
            step.kind == StmtKind::If || step.kind == StmtKind::Try ||
            step.kind == StmtKind::With) {
            // A block is one step of the global order; it is recorded as one call with
            // its sub-calls nested inside, so the sequence view can fold it.
            CallMark m = begin(CallId::Block, nullptr, nullptr, -1, trace::CallHelper);
            try {
                exec(step);
            } catch (const ScriptException &ex) {
                m_line = step.span.line;
                end(m, -1, ex.callErr, -1);
                throw;
            } catch (...) { // closes the block's call in the trace too
                m_line = step.span.line;
                end(m, -1, 0, -1);
                throw;
            }
            m_line = step.span.line;
            end(m, 0, 0, -1);
        } else if (step.kind == StmtKind::Expr || step.kind == StmtKind::Assign ||
                   step.kind == StmtKind::AugAssign) {
            if (step.kind == StmtKind::Assign)
                m_pendingNames =
                    step.complexTarget && step.lhs ? QStringList{step.lhs->text} : step.targets;
            Value v = eval(*step.expr);
            m_pendingNames = QStringList(); // clear() would allocate: the list shares step.targets
            if (step.kind == StmtKind::Expr)
                out.value = v;
            else {
                bindTarget(step, Value(v));
                out.value = v;
                if (step.kind == StmtKind::AugAssign) { // `n += 1` shows the new n, as a REPL would
                    if (step.complexTarget)
                        out.value = eval(*step.lhs);
                    else
                        m_ctx.env.get(step.targetSlots.at(0), &out.value);
                }
            }
        } else {
            exec(step);
        }
    } catch (const ScriptException &ex) {
        out.ok = false;
        out.err = ex.err;
        out.exception = ex.type;
        out.message = ex.message;
        out.scriptError = ex.scriptError;
        out.line = m_line;
    } catch (const std::bad_alloc &) {
        // Never the end of the process: the step ends with an error (Actor::loop()
        // catches anything else, as a last line of defence).
        out.ok = false;
        out.exception = QStringLiteral("MemoryError");
        out.message = QStringLiteral("out of memory in this step");
        out.scriptError = true;
        out.line = m_line;
    } catch (const std::exception &ex) {
        out.ok = false;
        out.exception = QStringLiteral("InternalError");
        out.message = QStringLiteral("the lab failed in this step: %1")
                          .arg(QString::fromLocal8Bit(ex.what()));
        out.scriptError = true;
        out.line = m_line;
    }
    m_pendingNames.clear();
    m_open.clear();
    out.socketsTouched = m_touched;
    return out;
}

Interpreter::Flow Interpreter::execBlock(const std::vector<StmtPtr> &body) {
    for (const StmtPtr &s : body) {
        if (m_ctx.stopping.load(std::memory_order_relaxed))
            raise("LabReset", QStringLiteral("the lab was reset"), false);
        const Flow f = exec(*s);
        if (f != Flow::Normal)
            return f;
    }
    return Flow::Normal;
}

Interpreter::Flow Interpreter::exec(const Stmt &s) {
    m_line = s.span.line;
    if (m_actor >= 0)
        m_ctx.actors[m_actor].line.store(m_line, std::memory_order_relaxed);
    switch (s.kind) {
    case StmtKind::Expr:
        if (s.expr->kind != ExprKind::Method || !execSocketIo(s)) // `s.send(buf)`: fastpaths.cpp
            eval(*s.expr);
        return Flow::Normal;
    case StmtKind::Assign:
        if (s.expr->kind == ExprKind::Method && execSocketIo(s)) // `data = conn.recv(n)`
            return Flow::Normal;
        m_pendingNames =
            s.complexTarget && s.lhs ? QStringList{s.lhs->text} : s.targets; // self.sock
        bindTarget(s, eval(*s.expr));
        m_pendingNames = QStringList(); // clear() would allocate: the list shares s.targets
        return Flow::Normal;
    case StmtKind::AugAssign:
        if (!augIntInPlace(s)) // `total += len(data)`: fastpaths.cpp
            bindTarget(s, eval(*s.expr));
        return Flow::Normal;
    case StmtKind::Break:
        return Flow::Break;
    case StmtKind::Continue:
        return Flow::Continue;
    case StmtKind::Pass:
        return Flow::Normal;
    case StmtKind::If:
        if (condition(*s.expr))
            return execBlock(s.body);
        return execBlock(s.orelse);
    case StmtKind::While:
        while (condition(*s.expr)) {
            const Flow f = execBlock(s.body);
            if (f == Flow::Break)
                break;
            if (f == Flow::Return)
                return f;
            m_line = s.span.line;
        }
        return Flow::Normal;
    case StmtKind::For: {
        if (Flow f; execForRange(s, &f)) // `for i in range(n)`: fastpaths.cpp
            return f;
        const Value it = eval(*s.expr);
        auto runBody = [&](const Value &v) {
            if (s.targetSlots.size() == 1 && !s.complexTarget)
                m_ctx.env.set(s.targetSlots[0], v);
            else
                bindTarget(s, Value(v)); // `for a, b in …`, or a def's local
            return execBlock(s.body);
        };
        Flow result = Flow::Normal;
        forEachItem(it, [&](const Value &v) { // lang/: bytes, tuple, list, dict, range, str
            const Flow f = runBody(v);
            if (f == Flow::Return)
                result = f;
            return f != Flow::Break && f != Flow::Return;
        });
        return result;
    }
    case StmtKind::Def:
    case StmtKind::Class:
    case StmtKind::Return:
    case StmtKind::Raise:
    case StmtKind::Try:
    case StmtKind::With:
    case StmtKind::Import:
    case StmtKind::Global:
        return execPy(s);
    case StmtKind::Say:
    case StmtKind::Expect:
    case StmtKind::Wait:
    case StmtKind::WaitUntil:
        raise("SyntaxError", QStringLiteral("say/expect/wait belong to the lab, not to an actor"),
              true);
    }
    return Flow::Normal;
}

void Interpreter::assign(const Stmt &s, Value &&v) {
    if (s.kind == StmtKind::AugAssign) {
        Value cur;
        if (!m_ctx.env.get(s.targetSlots.at(0), &cur))
            raise("NameError", QStringLiteral("name '%1' is not defined").arg(s.targets.at(0)),
                  true);
        if (cur.type == Value::Type::Bytes && v.type == Value::Type::Bytes) {
            checkSize(cur.b.size() + v.b.size(), "a bytes object");
            cur.b += v.b; // the only copy of a growing buffer is the name's own
            m_ctx.env.set(s.targetSlots[0], std::move(cur));
            return;
        }
        m_ctx.env.set(s.targetSlots[0], augmented(cur, v, s.op));
        return;
    }
    if (s.targetSlots.size() == 1) {
        m_ctx.env.set(s.targetSlots[0], std::move(v));
        return;
    }
    if (!v.isSequence())
        raise(
            "TypeError",
            QStringLiteral("cannot unpack non-iterable %1 object").arg(QLatin1String(v.typeName())),
            true);
    const ValueList &items = v.seq();
    if (items.size() != s.targetSlots.size())
        raise("ValueError",
              QStringLiteral("expected %1 values to unpack, got %2")
                  .arg(s.targetSlots.size())
                  .arg(items.size()),
              true);
    for (std::size_t k = 0; k < items.size(); ++k)
        m_ctx.env.set(s.targetSlots[k], items[k]);
}

Value Interpreter::augmented(const Value &cur, const Value &v, char op) {
    if (op == '+' && extendInPlace(cur, v)) // a list grows in place: every name sees it
        return cur;
    Value joined; // `ks += [k]`, `s += "x"`: as `ks = ks + [k]`
    if (op == '+' && !cur.isNumber() && concat(cur, v, &joined))
        return joined;
    if (!cur.isNumber() || !v.isNumber())
        raise("TypeError",
              QStringLiteral("unsupported operand type(s) for %1=: '%2' and '%3'")
                  .arg(QString(QLatin1Char(op)), QLatin1String(cur.typeName()),
                       QLatin1String(v.typeName())),
              true);
    if (cur.type == Value::Type::Float || v.type == Value::Type::Float)
        return Value::real(op == '+' ? cur.toDouble() + v.toDouble()
                                     : cur.toDouble() - v.toDouble());
    return Value::integer(op == '+' ? cur.i + v.i : cur.i - v.i);
}

Value Interpreter::evaluate(const Expr &e) {
    return eval(e);
}

QString Interpreter::narrate(const std::vector<SayPart> &parts) {
    QString out;
    for (const SayPart &p : parts) {
        if (!p.expr) {
            out += p.text;
            continue;
        }
        const Value v = eval(*p.expr);
        if (p.format == QLatin1String(",") && v.type == Value::Type::Int)
            out += QStringLiteral("%L1").arg(v.i); // the C locale groups with ","
        else if (p.format == QLatin1String(",") && v.type == Value::Type::Float)
            out += QStringLiteral("%L1").arg(v.f, 0, 'f', 0);
        else
            out += v.display();
    }
    return out;
}

Value Interpreter::unassignedName(const Expr &e) {
    if (const script::Program *prog = m_ctx.program.load()) {
        const int a = prog->actors.indexOf(e.name);
        if (a >= 0)
            return Value::actor(a);
    }
    if (auto cls = lang::builtinClass(e.name)) // OSError, RuntimeError, …
        return lang::objectValue(std::const_pointer_cast<lang::Class>(cls));
    raise("NameError", QStringLiteral("name '%1' is not defined (yet)").arg(e.name), true);
}

Value Interpreter::eval(const Expr &e) {
    switch (e.kind) {
    case ExprKind::Int:
        return Value::integer(e.i);
    case ExprKind::Float:
        return Value::real(e.f);
    case ExprKind::Str:
        return Value::str(e.str);
    case ExprKind::Bytes:
        return Value::bytes(e.bytes);
    case ExprKind::Bool:
        return Value::boolean(e.i != 0);
    case ExprKind::None:
        return Value::none();
    case ExprKind::Const:
        return Value::integer(e.i);
    case ExprKind::Name: {
        if (e.local >= 0 && m_frame)
            return loadLocal(e);
        // The lab's own names first; only names starting with 'e' or 'r' can be one of them.
        const QChar c0 = e.name.isEmpty() ? QChar() : e.name.front();
        if (c0 == u'e' || c0 == u'r') {
            if (e.name == QLatin1String("error")) // 0: no exception; None: one without errno
                return !m_last.ok && m_last.err == 0 ? Value::none() : Value::integer(m_last.err);
            if (e.name == QLatin1String("result"))
                return m_last.value;
            if (e.name == QLatin1String("exception"))
                return m_last.ok ? Value::none() : Value::str(m_last.exception);
        }
        // The name's value copied straight into this function's return value.
        return m_ctx.env.readOr(e.slot, [&] { return unassignedName(e); });
    }
    case ExprKind::Tuple:
    case ExprKind::List: {
        ValueList items;
        items.reserve(e.kids.size());
        for (const ExprPtr &k : e.kids)
            items.push_back(eval(*k));
        return e.kind == ExprKind::Tuple ? Value::tuple(std::move(items))
                                         : Value::list(std::move(items));
    }
    case ExprKind::Call:
        if (!e.call)
            return evalUserCall(e); // a def, a class, an exception class
        return evalCall(e);
    case ExprKind::Attr:
        return evalAttr(e);
    case ExprKind::Method:
        return evalMethod(e);
    case ExprKind::Index:
    case ExprKind::Slice:
        return evalIndex(e);
    case ExprKind::Unary: {
        const Value v = eval(*e.kids.at(0));
        if (e.op == '!')
            return Value::boolean(!v.truthy());
        if (e.op == '~') { // ~x is -x-1 for ints and bools; a TypeError for the rest
            if (v.type == Value::Type::Int || v.type == Value::Type::Bool)
                return Value::integer(~v.i);
            raise("TypeError",
                  QStringLiteral("bad operand type for unary ~: '%1'")
                      .arg(QLatin1String(v.typeName())),
                  true);
        }
        if (v.type == Value::Type::Float)
            return Value::real(-v.f);
        if (v.type == Value::Type::Int || v.type == Value::Type::Bool)
            return Value::integer(-v.i);
        raise("TypeError",
              QStringLiteral("bad operand type for unary -: '%1'").arg(QLatin1String(v.typeName())),
              true);
    }
    case ExprKind::Binary:
        return evalBinary(e);
    case ExprKind::Compare:
        return evalCompare(e);
    case ExprKind::Dict: // the Python subset's values (issue 9): lang/evalvalues.cpp
    case ExprKind::FString:
    case ExprKind::Format:
    case ExprKind::SetItem:
    case ExprKind::DelItem:
        return evalValueExpr(e);
    case ExprKind::BoolOp: {
        Value a = eval(*e.kids.at(0));
        if (e.op == '&' ? !a.truthy() : a.truthy())
            return a; // Python returns the deciding operand
        return eval(*e.kids.at(1));
    }
    }
    raise("SyntaxError", QStringLiteral("unsupported expression"), true);
}

} // namespace sl::engine
