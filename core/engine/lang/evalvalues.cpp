// The Interpreter's side of the Python subset's values (issue 9): dict literals,
// f-strings, `d[k] = v`, `del d[k]`, keyword arguments and print(). The rules
// themselves are in lang/*.cpp, which need no Lab.
#include "engine/interpreter.h"
#include "engine/lang/lang.h"

using namespace sl::script;

namespace sl::engine {

void Interpreter::forEachItem(const Value &v, const std::function<bool(const Value &)> &body) {
    lang::iterate(v, body);
}

Value Interpreter::doPrint(const ValueList &args,
                           const std::vector<std::pair<QString, Value>> &kw) {
    // The actor's output: a Say event of the actor, so the terminal, the narration and
    // a replayed trace show it where it happened (one line without its final newline).
    QString text = lang::printText(args, kw);
    if (text.endsWith(QLatin1Char('\n')))
        text.chop(1);
    trace::Event ev;
    ev.tNs = m_ctx.trace.now();
    ev.kind = trace::EventKind::Say;
    ev.actor = m_actor < 0 ? trace::NoActor : std::uint8_t(m_actor);
    ev.line = decltype(ev.line)(m_line);
    ev.text.a = m_ctx.trace.intern(text);
    ev.text.b = ev.text.a;
    m_ctx.trace.append(ev);
    return Value::none();
}

Value Interpreter::evalValueExpr(const Expr &e) {
    switch (e.kind) {
    case ExprKind::Dict: {
        ValueList kv;
        kv.reserve(e.kids.size());
        for (std::size_t k = 0; k + 1 < e.kids.size(); k += 2) {
            Value key = eval(*e.kids[k]);
            Value v = eval(*e.kids[k + 1]);
            lang::checkHashable(key);
            const std::ptrdiff_t at = lang::dictFind(kv, key);
            if (at >= 0) { // {1: 'a', 1: 'b'}: the last value, at the first key's place
                kv[std::size_t(at) + 1] = std::move(v);
            } else {
                kv.push_back(std::move(key));
                kv.push_back(std::move(v));
            }
        }
        return Value::dict(std::move(kv));
    }
    case ExprKind::FString: {
        QString out;
        for (const ExprPtr &part : e.kids)
            out += part->kind == ExprKind::Str ? part->str : eval(*part).s;
        return Value::str(out);
    }
    case ExprKind::Format:
        return Value::str(lang::formatField(eval(*e.kids.at(0)), e.op, e.str));
    case ExprKind::SetItem: {
        const Value obj = eval(*e.kids.at(0));
        const Value key = eval(*e.kids.at(1));
        Value v = eval(*e.kids.at(2));
        if (e.op != '=') { // d[k] += n: read, combine, write back (a list grows in place)
            const Value cur = lang::getItem(obj, key);
            if (!(e.op == '+' && extendInPlace(cur, v)))
                v = binaryOp(e.op, cur, v);
            else
                v = cur;
        }
        lang::setItem(obj, key, v);
        return Value::none();
    }
    case ExprKind::DelItem:
        if (e.kids.size() == 1) {
            delName(*e.kids[0]);
            return Value::none();
        }
        lang::delItem(eval(*e.kids.at(0)), eval(*e.kids.at(1)));
        return Value::none();
    default:
        break;
    }
    raise("SyntaxError", QStringLiteral("unsupported expression"), true);
}

} // namespace sl::engine
