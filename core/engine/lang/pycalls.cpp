// Calls of what a script defines (issue 9): functions, classes (instances, __init__),
// methods, attributes, and exceptions as objects (raise, except … as e).
//
// A call of a user function on an actor is recorded as one call (CallId::Block, flagged
// CallHelper) with the system calls it makes nested inside, as a helper's are: the
// sequence view folds it, and Step Over runs it whole.
#include "engine/interpreter.h"

#include "trace/event.h"

#include <QStringBuilder>

using namespace sl::script;

namespace sl::engine {

namespace {

QString positionalCount(int n) {
    return n == 1 ? QStringLiteral("1 positional argument")
                  : QStringLiteral("%1 positional arguments").arg(n);
}

QString quotedList(const QStringList &names) {
    QStringList q;
    for (const QString &n : names)
        q << u'\'' + n + u'\'';
    if (q.size() <= 1)
        return q.join(QString());
    const QString last = q.takeLast();
    return q.join(QStringLiteral(", ")) +
           (q.size() > 1 ? QStringLiteral(", and ") : QStringLiteral(" and ")) + last;
}

} // namespace

Value Interpreter::makeFunction(const Stmt &def, const QString &qualname) {
    auto fn = std::make_shared<lang::Function>();
    fn->def = &def;
    fn->name = def.name;
    fn->qualname = qualname;
    for (const Param &p : def.params) {
        fn->hasDefault.push_back(bool(p.dflt));
        fn->defaults.push_back(p.dflt ? eval(*p.dflt) : Value::none()); // evaluated once
    }
    return lang::objectValue(fn);
}

void Interpreter::makeClass(const Stmt &s) {
    auto cls = std::make_shared<lang::Class>();
    cls->name = s.name;
    cls->latinName = s.name.toLatin1();
    if (s.base) {
        const Value b = eval(*s.base);
        const lang::Class *base = lang::asClass(b);
        if (!base)
            raise("TypeError",
                  QStringLiteral("a class derives from a class, not from '%1'")
                      .arg(QLatin1String(b.typeName())),
                  true);
        cls->base = std::static_pointer_cast<const lang::Class>(b.pyobj);
    }
    for (const StmtPtr &b : s.body) {
        m_line = b->span.line;
        if (b->kind == StmtKind::Def)
            cls->attributes.insert(b->name, makeFunction(*b, s.name + u'.' + b->name));
        else if (b->kind == StmtKind::Assign && b->targets.size() == 1)
            cls->attributes.insert(b->targets[0], eval(*b->expr));
    }
    m_ctx.env.set(s.targetSlots.at(0), lang::objectValue(cls));
}

Interpreter::KwArgs Interpreter::evalKwargs(const Expr &e) {
    KwArgs kw;
    for (const auto &[name, value] : e.kwargs)
        kw.emplace_back(name, eval(*value));
    return kw;
}

Value Interpreter::evalUserCall(const Expr &e) {
    Value callee;
    if (e.local >= 0 && m_frame) {
        callee = loadLocal(e);
    } else if (!(e.slot >= 0 && m_ctx.env.get(e.slot, &callee))) {
        auto cls = lang::builtinClass(e.name);
        if (!cls)
            raise("NameError", QStringLiteral("name '%1' is not defined").arg(e.name), true);
        callee = lang::objectValue(std::const_pointer_cast<lang::Class>(cls));
    }
    ValueList args;
    args.reserve(e.kids.size());
    for (const ExprPtr &k : e.kids)
        args.push_back(eval(*k));
    return callValue(callee, std::move(args), evalKwargs(e), &e);
}

Value Interpreter::callValue(const Value &callee, ValueList args, KwArgs kwargs, const Expr *site) {
    if (const lang::Function *fn = lang::asFunction(callee))
        return invoke(*fn, nullptr, std::move(args), std::move(kwargs), site);
    if (const lang::BoundMethod *bm = lang::asBound(callee))
        return invoke(*bm->fn, &bm->self, std::move(args), std::move(kwargs), site);
    if (lang::asClass(callee))
        return instantiate(std::static_pointer_cast<const lang::Class>(callee.pyobj),
                           std::move(args), std::move(kwargs), site);
    raise("TypeError",
          QStringLiteral("'%1' object is not callable").arg(QLatin1String(callee.typeName())),
          true);
}

Value Interpreter::invoke(const lang::Function &fn, const Value *self, ValueList args,
                          KwArgs kwargs, const Expr *site) {
    const Stmt &def = *fn.def;
    if (self)
        args.insert(args.begin(), *self);
    const int nparams = int(def.params.size());
    const QString who = fn.qualname + QStringLiteral("()");
    if (int(args.size()) > nparams) {
        int required = 0;
        for (bool d : fn.hasDefault)
            required += d ? 0 : 1;
        const QString takes =
            required == nparams
                ? positionalCount(nparams)
                : QStringLiteral("from %1 to %2 positional arguments").arg(required).arg(nparams);
        raise("TypeError",
              QStringLiteral("%1 takes %2 but %3 %4 given")
                  .arg(who, takes)
                  .arg(args.size())
                  .arg(args.size() == 1 ? QStringLiteral("was") : QStringLiteral("were")),
              true);
    }
    Frame frame;
    frame.values.resize(std::size_t(std::max(def.frameSize, nparams)));
    frame.assigned.assign(frame.values.size(), 0);
    for (std::size_t k = 0; k < args.size(); ++k) {
        frame.values[k] = std::move(args[k]);
        frame.assigned[k] = 1;
    }
    for (auto &[name, value] : kwargs) {
        int k = 0;
        while (k < nparams && def.params[std::size_t(k)].name != name)
            ++k;
        if (k == nparams)
            raise("TypeError",
                  QStringLiteral("%1 got an unexpected keyword argument '%2'").arg(who, name),
                  true);
        if (frame.assigned[std::size_t(k)])
            raise("TypeError",
                  QStringLiteral("%1 got multiple values for argument '%2'").arg(who, name), true);
        frame.values[std::size_t(k)] = std::move(value);
        frame.assigned[std::size_t(k)] = 1;
    }
    QStringList missing;
    for (int k = 0; k < nparams; ++k) {
        if (frame.assigned[std::size_t(k)])
            continue;
        if (fn.hasDefault[std::size_t(k)]) {
            frame.values[std::size_t(k)] = fn.defaults[std::size_t(k)];
            frame.assigned[std::size_t(k)] = 1;
        } else {
            missing << def.params[std::size_t(k)].name;
        }
    }
    if (!missing.isEmpty())
        raise("TypeError",
              QStringLiteral("%1 missing %2 required positional argument%3: %4")
                  .arg(who)
                  .arg(missing.size())
                  .arg(missing.size() == 1 ? QString() : QStringLiteral("s"), quotedList(missing)),
              true);
    if (m_callDepth >= MaxCallDepth)
        raise("RecursionError", QStringLiteral("maximum recursion depth exceeded"), true);

    // One call in the trace, its system calls nested inside (on an actor only: the
    // lab's own thread records nothing).
    const bool traced = m_actor >= 0;
    const int callLine = m_line;
    CallMark mark;
    if (traced)
        mark = begin(CallId::Block, site, nullptr, -1, trace::CallHelper);
    Frame *outer = m_frame;
    m_frame = &frame;
    ++m_callDepth;
    auto restore = [&] {
        m_frame = outer;
        --m_callDepth;
        m_line = callLine;
        if (m_actor >= 0)
            m_ctx.actors[m_actor].line.store(m_line, std::memory_order_relaxed);
    };
    Flow f = Flow::Normal;
    try {
        f = execBlock(def.body);
    } catch (const ScriptException &ex) {
        restore();
        if (traced)
            end(mark, -1, ex.callErr, -1);
        throw;
    } catch (...) {
        restore();
        if (traced)
            end(mark, -1, 0, -1);
        throw;
    }
    restore();
    if (traced)
        end(mark, 0, 0, -1);
    if (f != Flow::Return)
        return Value::none();
    Value r = std::move(m_returnValue);
    m_returnValue = Value::none();
    return r;
}

Value Interpreter::instantiate(const std::shared_ptr<const lang::Class> &cls, ValueList args,
                               KwArgs kwargs, const Expr *site) {
    Value init;
    const bool hasInit = cls->lookup(QStringLiteral("__init__"), &init);
    Value obj;
    if (cls->isException()) {
        // BaseException.__new__ keeps the arguments in args, whatever __init__ does
        obj = lang::makeException(cls, args);
    } else {
        if (!hasInit && (!args.empty() || !kwargs.empty()))
            raise("TypeError", QStringLiteral("%1() takes no arguments").arg(cls->name), true);
        obj = lang::objectValue(std::make_shared<lang::Instance>(cls));
    }
    if (const lang::Function *fn = lang::asFunction(init); hasInit && fn)
        invoke(*fn, &obj, std::move(args), std::move(kwargs), site);
    return obj;
}

Value Interpreter::evalAttr(const Expr &e) {
    const Value obj = eval(*e.kids.at(0));
    Value v;
    if (lang::Instance *inst = lang::asInstance(obj)) {
        if (inst->get(e.name, &v))
            return v;
        if (inst->cls->lookup(e.name, &v)) {
            if (lang::asFunction(v)) // a method, bound to its object
                return lang::objectValue(std::make_shared<lang::BoundMethod>(
                    obj, std::static_pointer_cast<const lang::Function>(v.pyobj)));
            return v;
        }
    } else if (const lang::Class *cls = lang::asClass(obj)) {
        if (cls->lookup(e.name, &v))
            return v;
        if (e.name == QLatin1String("__name__"))
            return Value::str(cls->name);
    } else {
        // the bindings' objects: key.fileobj / key.data, f.closed, ep.closed; it raises
        // CPython's AttributeError for any other name
        return boundAttribute(obj, e.name);
    }
    raise("AttributeError",
          QStringLiteral("'%1' object has no attribute '%2'")
              .arg(QLatin1String(obj.typeName()), e.name),
          true);
}

Value Interpreter::callObjectMethod(const Expr &e, const Value &obj, const ValueList &args) {
    Value m;
    if (lang::Instance *inst = lang::asInstance(obj)) {
        if (inst->get(e.name, &m))
            return callValue(m, args, evalKwargs(e), &e);
        if (inst->cls->lookup(e.name, &m)) {
            if (const lang::Function *fn = lang::asFunction(m))
                return invoke(*fn, &obj, args, evalKwargs(e), &e);
            return callValue(m, args, evalKwargs(e), &e);
        }
    } else if (const lang::Class *cls = lang::asClass(obj)) {
        if (cls->lookup(e.name, &m)) // MySocket.method(obj, …)
            return callValue(m, args, evalKwargs(e), &e);
        if (cls->isException() && e.name == QLatin1String("__init__") && !args.empty()) {
            // Exception.__init__(self, msg) in a subclass's __init__
            if (lang::Instance *self = lang::asInstance(args[0])) {
                ValueList rest(args.begin() + 1, args.end());
                self->set(QStringLiteral("args"), Value::tuple(std::move(rest)));
                return Value::none();
            }
        }
    } else if (lang::asBound(obj) || lang::asFunction(obj)) {
        if (e.name == QLatin1String("__call__"))
            return callValue(obj, args, evalKwargs(e), &e);
    }
    raise("AttributeError",
          QStringLiteral("'%1' object has no attribute '%2'")
              .arg(QLatin1String(obj.typeName()), e.name),
          true);
}

Value Interpreter::exceptionValue(const ScriptException &ex) {
    if (ex.value.type == Value::Type::Object)
        return ex.value;
    return lang::exceptionFromError(ex.type, ex.err, ex.message); // None: not catchable
}

void Interpreter::raiseValue(const Value &exc) {
    const lang::Instance *inst = lang::asInstance(exc);
    if (!inst || !inst->cls->isException())
        raise("TypeError", QStringLiteral("exceptions must derive from BaseException"), true);
    ScriptException ex;
    ex.type = inst->cls->name;
    ex.message = lang::objectStr(*inst);
    Value err;
    if (inst->get(QStringLiteral("errno"), &err) && err.type == Value::Type::Int)
        ex.err = int(err.i);
    ex.value = exc;
    throw ex;
}

bool Interpreter::matches(const Value &type, const Value &exc) {
    const lang::Instance *inst = lang::asInstance(exc);
    if (type.isSequence()) {
        for (const Value &t : type.seq())
            if (matches(t, exc))
                return true;
        return false;
    }
    const lang::Class *cls = lang::asClass(type);
    if (!cls || !cls->isException())
        raise("TypeError",
              QStringLiteral("catching classes that do not inherit from BaseException is not "
                             "allowed"),
              true);
    return inst && inst->cls->isSubclassOf(*cls);
}

} // namespace sl::engine
