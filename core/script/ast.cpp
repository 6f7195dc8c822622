#include "script/ast.h"

namespace sl::script {

QString Program::title(const QString &lang) const {
    if (!lang.isEmpty()) {
        const QString localized = meta.value(QStringLiteral("title[") + lang + u']');
        if (!localized.isEmpty())
            return localized;
    }
    return meta.value(QStringLiteral("title"));
}

int Program::stepIndexForLine(int line) const {
    for (size_t i = 0; i < steps.size(); ++i) {
        const Stmt &s = *steps[i];
        if (line >= s.span.line && line <= qMax(s.span.line, s.lastLine))
            return int(i);
    }
    return -1;
}

} // namespace sl::script
