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

// ---- Python statements (issue 9)
static bool exprRunsUserCode(const Expr *e) {
    if (!e)
        return false;
    if ((e->kind == ExprKind::Call || e->kind == ExprKind::Method) && !e->call)
        return true;
    for (const ExprPtr &k : e->kids)
        if (exprRunsUserCode(k.get()))
            return true;
    for (const auto &kw : e->kwargs)
        if (exprRunsUserCode(kw.second.get()))
            return true;
    return false;
}

bool runsLikeBlock(const Stmt &s) {
    switch (s.kind) {
    case StmtKind::For:
    case StmtKind::While:
    case StmtKind::If:
    case StmtKind::Try:
    case StmtKind::With:
        return true;
    default:
        return exprRunsUserCode(s.expr.get());
    }
}

} // namespace sl::script
