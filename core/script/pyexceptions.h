// Python's built-in exception classes that a lab knows, with their bases (CPython
// 3.11's hierarchy, the part a socket program meets). Shared by the parser (names it
// accepts in `except`/`raise`) and the engine (which class matches which).
//
// Thread affinity: none; the table is immutable.
#pragma once

#include <QString>

namespace sl::script {

// The base class of a built-in exception ("ConnectionResetError" -> "ConnectionError",
// "Exception" -> "BaseException", "BaseException" -> "" and "" when unknown).
QString builtinExceptionBase(const QString &name);
bool isBuiltinException(const QString &name);
// true when `name` is `ancestor` or derives from it (built-in classes only).
bool builtinExceptionIsA(const QString &name, const QString &ancestor);

} // namespace sl::script
