// Korean for the terminal's own lines (`socketlab run --lang ko`). The CLI runs without
// the window's translator (.qm files belong to the ui), so the engine's and the report's
// lines are translated here, from one small table: exact phrases (with %1 arguments,
// translated before .arg()), and sentence patterns for messages made elsewhere (the
// LabPolicyError texts, diagnostics) whose arguments are already filled in.
//
// Thread affinity: none (const tables, built once).
#pragma once

#include <QString>

namespace sl::ui {

// `english` in `lang` ("ko"), or `english` itself when there is no translation.
QString termText(const QString &lang, const char *english);
// A finished English message (arguments filled in) in `lang`: the table's patterns
// that match are replaced; what no pattern covers stays English.
QString termMessage(const QString &lang, const QString &english);

} // namespace sl::ui
