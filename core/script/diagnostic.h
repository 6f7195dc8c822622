// A problem found in a .lab script, with where it is and what to do about it.
#pragma once

#include <QString>
#include <vector>

namespace sl::script {

struct Span {
    int line = 0;   // 1-based; 0 = none
    int col = 0;    // 1-based column of the first character (in QChars)
    int length = 0; // characters covered, at least 1 when line > 0
};

struct Diagnostic {
    enum Severity { Error, Warning };
    Severity severity = Error;
    Span span;
    QString message; // "unknown call 'sned'"
    QString hint;    // "did you mean 'send'?"
};

// "lesson.lab:12:5: error: unknown call 'sned'\n    hint: did you mean 'send'?"
// followed by the source line and a caret line under the span when source is given.
QString formatDiagnostic(const Diagnostic &d, const QString &fileName, const QString &source = {});

bool hasErrors(const std::vector<Diagnostic> &diags);

} // namespace sl::script
