// libFuzzer entry: any bytes, read as UTF-8, must parse or fail with diagnostics,
// never crash, hang or hit undefined behaviour; formatting the diagnostics too.
#include "script/parser.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
    const QString source = QString::fromUtf8(reinterpret_cast<const char *>(data), qsizetype(size));
    const sl::script::ParseResult r = sl::script::parse(source, QStringLiteral("fuzz.lab"));
    qsizetype total = 0;
    for (const sl::script::Diagnostic &d : r.diagnostics)
        total += sl::script::formatDiagnostic(d, QStringLiteral("fuzz.lab"), source).size();
    if (r.program) {
        // a program is only produced without errors
        if (sl::script::hasErrors(r.diagnostics))
            __builtin_trap();
        for (int line = 0; line < 4; ++line)
            total += r.program->stepIndexForLine(line);
        total += r.program->title(QStringLiteral("ko")).size();
    }
    return total < 0 ? 0 : 0;
}
