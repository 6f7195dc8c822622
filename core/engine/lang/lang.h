// The pure language core of the .lab language's Python subset (issue 9): operators
// on values, indexing, builtins, value methods and formatting, each giving CPython
// 3.11's result and raising CPython's exception with its message. Nothing here makes
// a system call or needs a Lab: the Interpreter calls in, and tests may too.
//
// Errors are thrown as ScriptException (scriptError = true), e.g. KeyError: 'x'.
//
// Thread affinity: free functions over values; safe from any thread (lists and dicts
// guard themselves, see value.h).
#pragma once

#include "engine/value.h"

#include <QString>
#include <functional>
#include <utility>
#include <vector>

namespace sl::engine::lang {

using Kwargs = std::vector<std::pair<QString, Value>>;

[[noreturn]] void raise(const char *type, const QString &message);

// ---- items.cpp: containers ---------------------------------------------------------
bool hashable(const Value &v);
void checkHashable(const Value &v); // TypeError: unhashable type: 'list'
// Index of key in a dict's alternating keys and values (an even index), -1 if absent.
std::ptrdiff_t dictFind(const ValueList &kv, const Value &key);
Value getItem(const Value &obj, const Value &index); // obj[index]
Value getSlice(const Value &obj, const Value &lo, const Value &hi, const Value &step);
void setItem(const Value &obj, const Value &index, const Value &v); // obj[index] = v
void delItem(const Value &obj, const Value &index);                 // del obj[index]
bool contains(const Value &hay, const Value &needle);               // needle in hay
// Calls body(item) for each item of an iterable (a dict's keys, a str's characters, a
// list read live by index as CPython does); stops when body returns false. TypeError
// when v is not iterable.
void iterate(const Value &v, const std::function<bool(const Value &)> &body);
ValueList items(const Value &v);     // the items of an iterable, as a list would hold them
std::int64_t length(const Value &v); // len(v); TypeError when it has none
// Ordering as CPython's <: numbers, str, bytes, lists and tuples (item by item).
// Returns <0, 0, >0; TypeError "'<' not supported between instances of …" (op as written).
int compare(const Value &a, const Value &b, const char *op = "<");

// ---- builtins.cpp ------------------------------------------------------------------
Value callBuiltin(const QString &name, const ValueList &args, const Kwargs &kw);
QString printText(const ValueList &args, const Kwargs &kw); // what print() writes

// ---- valuemethods.cpp --------------------------------------------------------------
bool hasMethods(const Value &v); // str, bytes, list, tuple, dict, int, float, bool, None
Value callMethod(const QString &name, const Value &obj, const ValueList &args, const Kwargs &kw);

// shared by the method files: CPython's arity message ("list.append() takes exactly one
// argument (0 given)"), and the start/end window of find(), count(), index()
void checkArity(const QString &name, const ValueList &args, std::size_t lo, std::size_t hi,
                const char *owner);
std::pair<qsizetype, qsizetype> sliceWindow(qsizetype n, const ValueList &args, std::size_t from);

// ---- textmethods.cpp: str and bytes; *handled false when there is no such method -----
Value callTextMethod(const QString &name, const Value &obj, const ValueList &args, const Kwargs &kw,
                     bool *handled);

// ---- format.cpp --------------------------------------------------------------------
QString format(const Value &v, const QString &spec);                            // format(v, spec)
QString formatField(const Value &v, char conversion, const QString &spec);      // {v!r:spec}
QString percentFormat(const QString &fmt, const Value &args);                   // "%d %s" % (n, s)
QString strFormat(const QString &fmt, const ValueList &args, const Kwargs &kw); // .format()

} // namespace sl::engine::lang
