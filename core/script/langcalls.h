// The builtins and value methods of the .lab language's Python subset (issue 9):
// print(), sorted(), d.get(), b.split(), … Pure: they make no system call and are
// never traced, so they need no stable CallId (their CallInfo has CallId::None and
// kind Builtin); the engine dispatches them by name (engine/lang/).
//
// The parser checks a call's name and arity against these after the catalogue
// (catalog.h). A method's arity is the union over the types that have it (split()
// of str and of bytes); the engine checks the exact rules when it knows the type.
//
// Thread affinity: none; the tables are immutable.
#pragma once

#include "script/catalog.h"

namespace sl::script {

const CallInfo *findLangFunction(const QString &name); // print, sorted, …
const CallInfo *findLangMethod(const QString &name);   // append, split, get, …
// Closest builtin or value method within edit distance 2 ("" if none).
QString suggestLangName(const QString &unknown, bool method);
int langDistance(const QString &a, const QString &b); // edit distance, for hints
// The type names a method belongs to, for hints: "list", "str, bytes".
QString langMethodOwners(const QString &name);

} // namespace sl::script
