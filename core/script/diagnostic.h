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
// Everything printed comes from the script and is escaped (escapeControls): a malformed
// script cannot drive the terminal. A long source line is shown as a window around the
// span, a long message is shortened in its middle.
QString formatDiagnostic(const Diagnostic &d, const QString &fileName, const QString &source = {});

// `text` with every character that could act on a terminal or hide what is printed
// written as an escape: C0 controls, DEL and C1 controls as \x1b, format characters
// (bidirectional overrides, zero-width characters), line and paragraph separators and
// lone surrogates as \u{202e}. A tab stays a tab when keepTabs.
QString escapeControls(QStringView text, bool keepTabs = false);

bool hasErrors(const std::vector<Diagnostic> &diags);

} // namespace sl::script
