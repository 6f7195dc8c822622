#include "script/pyexceptions.h"

#include <QHash>

namespace sl::script {

namespace {

const QHash<QString, QString> &table() {
    static const QHash<QString, QString> t = [] {
        // {class, base}: CPython 3.11 (Lib/test/exception_hierarchy.txt), the classes
        // a socket program meets, and socket.gaierror (an OSError whose errno is an
        // EAI_* code). The lab's reset (LabReset) is not among them: no `except` catches
        // it. LabPolicyError (the lab refused a call: beyond loopback, …) derives from
        // BaseException, as KeyboardInterrupt does, so `except Exception` does not hide a
        // refusal; only a handler that names it (lesson 2's `except LabPolicyError`) does.
        static const char *const pairs[][2] = {
            {"BaseException", ""},
            {"SystemExit", "BaseException"},
            {"KeyboardInterrupt", "BaseException"},
            {"LabPolicyError", "BaseException"},
            {"Exception", "BaseException"},
            {"ArithmeticError", "Exception"},
            {"ZeroDivisionError", "ArithmeticError"},
            {"OverflowError", "ArithmeticError"},
            {"AssertionError", "Exception"},
            {"AttributeError", "Exception"},
            {"EOFError", "Exception"},
            {"LookupError", "Exception"},
            {"IndexError", "LookupError"},
            {"KeyError", "LookupError"},
            {"MemoryError", "Exception"},
            {"NameError", "Exception"},
            {"UnboundLocalError", "NameError"},
            {"OSError", "Exception"},
            {"socket.gaierror", "OSError"},
            {"BlockingIOError", "OSError"},
            {"ChildProcessError", "OSError"},
            {"ConnectionError", "OSError"},
            {"BrokenPipeError", "ConnectionError"},
            {"ConnectionAbortedError", "ConnectionError"},
            {"ConnectionRefusedError", "ConnectionError"},
            {"ConnectionResetError", "ConnectionError"},
            {"FileExistsError", "OSError"},
            {"FileNotFoundError", "OSError"},
            {"InterruptedError", "OSError"},
            {"IsADirectoryError", "OSError"},
            {"NotADirectoryError", "OSError"},
            {"PermissionError", "OSError"},
            {"ProcessLookupError", "OSError"},
            {"TimeoutError", "OSError"},
            {"RuntimeError", "Exception"},
            {"NotImplementedError", "RuntimeError"},
            {"RecursionError", "RuntimeError"},
            {"StopIteration", "Exception"},
            {"SyntaxError", "Exception"},
            {"TypeError", "Exception"},
            {"ValueError", "Exception"},
            {"UnicodeError", "ValueError"},
            {"UnicodeDecodeError", "UnicodeError"},
            {"UnicodeEncodeError", "UnicodeError"},
        };
        QHash<QString, QString> h;
        for (const auto &p : pairs)
            h.insert(QLatin1String(p[0]), QLatin1String(p[1]));
        return h;
    }();
    return t;
}

} // namespace

QString builtinExceptionBase(const QString &name) {
    return table().value(name);
}

bool isBuiltinException(const QString &name) {
    return table().contains(name);
}

bool builtinExceptionIsA(const QString &name, const QString &ancestor) {
    QString n = name;
    for (int guard = 0; guard < 16 && !n.isEmpty(); ++guard) {
        if (n == ancestor)
            return true;
        n = table().value(n);
    }
    return false;
}

} // namespace sl::script
